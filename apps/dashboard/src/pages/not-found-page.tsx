import { href } from '../hooks/use-route';

export function NotFoundPage() {
  return (
    <>
      <h1 tabIndex={-1}>Page not found</h1>
      <p>
        There is no page at this address. Go to the <a href={href('/')}>overview</a>.
      </p>
    </>
  );
}
