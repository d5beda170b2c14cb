import { useState } from 'react';
import { useApp } from '../hooks/app-context';
import { Icon } from './icon';

async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  // Plain http on a LAN address: the clipboard API is not there.
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('copy refused');
}

/** "Copy" with an accessible name saying what is copied, and a spoken confirmation. */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const { announce } = useApp();
  const [copied, setCopied] = useState<'idle' | 'ok' | 'failed'>('idle');
  const onClick = () => {
    copyText(value).then(
      () => {
        setCopied('ok');
        announce(`${label} copied`);
        setTimeout(() => setCopied('idle'), 2000);
      },
      () => {
        setCopied('failed');
        announce(`Could not copy ${label}`, 'assertive');
      },
    );
  };
  return (
    <button
      type="button"
      className="button button--small button--ghost"
      onClick={onClick}
      aria-label={`Copy ${label}`}
    >
      <Icon name={copied === 'ok' ? 'check' : 'copy'} size={14} />
      <span aria-hidden="true">
        {copied === 'ok' ? 'Copied' : copied === 'failed' ? 'Copy failed' : 'Copy'}
      </span>
    </button>
  );
}
