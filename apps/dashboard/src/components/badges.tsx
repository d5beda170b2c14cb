import type { ReactNode } from 'react';
import type { AlertStatus, Severity, ShipmentStatus, Verdict } from '../api/types';
import type { ModelAnchorState } from '../model-cards';
import { humanise } from '../format';
import { Icon, type IconName } from './icon';

/** Status is never colour alone: every badge has an icon and a text label. */
function Badge({ tone, icon, children }: { tone: string; icon: IconName; children: ReactNode }) {
  return (
    <span className={`badge badge--${tone}`}>
      <Icon name={icon} size={14} />
      <span>{children}</span>
    </span>
  );
}

const VERDICT: Record<Verdict, { icon: IconName; label: string }> = {
  verified: { icon: 'check', label: 'Verified' },
  pending: { icon: 'clock', label: 'Pending' },
  unanchored: { icon: 'stop', label: 'Not anchored in time' },
  tampered: { icon: 'stop', label: 'Tampered' },
  unverifiable: { icon: 'question', label: 'Unverifiable' },
  unknown: { icon: 'stop', label: 'Unknown to the chain' },
};

export function VerdictBadge({ verdict }: { verdict: Verdict }) {
  const entry = VERDICT[verdict] ?? VERDICT.unverifiable;
  return (
    <Badge tone={verdict in VERDICT ? verdict : 'unverifiable'} icon={entry.icon}>
      {entry.label}
    </Badge>
  );
}

const SEVERITY_ICON: Record<Severity, IconName> = {
  critical: 'stop',
  high: 'warning',
  medium: 'info',
  low: 'info',
};

export function SeverityBadge({ severity }: { severity: Severity }) {
  return (
    <Badge tone={`sev-${severity}`} icon={SEVERITY_ICON[severity] ?? 'info'}>
      {humanise(severity)}
    </Badge>
  );
}

const ALERT_STATUS_ICON: Record<AlertStatus, IconName> = {
  open: 'bell',
  acknowledged: 'clock',
  resolved: 'check',
};

export function AlertStatusBadge({ status }: { status: AlertStatus }) {
  return (
    <Badge tone={`status-${status}`} icon={ALERT_STATUS_ICON[status] ?? 'info'}>
      {humanise(status)}
    </Badge>
  );
}

export function ShipmentStatusBadge({ status, overdue }: { status: ShipmentStatus; overdue: boolean }) {
  if (overdue && status === 'in_transit') {
    return (
      <Badge tone="overdue" icon="warning">
        Overdue
      </Badge>
    );
  }
  return status === 'received' ? (
    <Badge tone="verified" icon="check">
      Received
    </Badge>
  ) : (
    <Badge tone="neutral" icon="truck">
      In transit
    </Badge>
  );
}

const MODEL_ANCHOR: Record<ModelAnchorState, { tone: string; icon: IconName; label: string }> = {
  anchored: { tone: 'verified', icon: 'check', label: 'Anchored' },
  pending: { tone: 'pending', icon: 'clock', label: 'Anchoring pending' },
  edited: { tone: 'tampered', icon: 'stop', label: 'Card edited since anchoring' },
  'no-card': { tone: 'unverifiable', icon: 'question', label: 'No card' },
};

export function ModelAnchorBadge({ state }: { state: ModelAnchorState }) {
  const entry = MODEL_ANCHOR[state];
  return (
    <Badge tone={entry.tone} icon={entry.icon}>
      {entry.label}
    </Badge>
  );
}
