import type { RealtimeField } from './realtime-driver.js';
import type { RealtimeFamilies } from './realtime-families.js';

/** The family registrations are written to: `sipregs` when mapped, else `sippeers` (chan_sip). */
export function registrationFamily(realtime: RealtimeFamilies): 'sipregs' | 'sippeers' {
  return realtime.has('sipregs') ? 'sipregs' : 'sippeers';
}

/** What chan_sip destroy_association() writes when a realtime registration ends. */
export const CLEARED_REGISTRATION: readonly RealtimeField[] = [
  { name: 'fullcontact', value: '' },
  { name: 'ipaddr', value: '' },
  { name: 'port', value: '0' },
  { name: 'regseconds', value: '0' },
  { name: 'regserver', value: '' },
  { name: 'useragent', value: '' },
  { name: 'lastms', value: '0' },
];

/** Clears a peer's registration columns (chan_sip destroy_association()); rows changed. */
export function clearRealtimeRegistration(realtime: RealtimeFamilies, peerName: string): Promise<number> {
  return realtime.update(registrationFamily(realtime), 'name', peerName, CLEARED_REGISTRATION);
}
