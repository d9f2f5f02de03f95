import { aggregateDeviceStates, type DeviceState } from '@tandem/dialplan';

/**
 * Extension states as bit flags (include/asterisk/pbx.h `enum ast_extension_states`):
 * NOT_INUSE 0, INUSE 1, BUSY 2, UNAVAILABLE 4, RINGING 8, ONHOLD 16.
 */
export const ExtensionState = {
  notInUse: 0,
  inUse: 1,
  busy: 2,
  unavailable: 4,
  ringing: 8,
  onHold: 16,
} as const;

/** The body formats chan_sip serves (its `subscription_types[]`). */
export type PresenceFormat = 'dialog-info' | 'pidf' | 'cpim-pidf' | 'xpidf';

/** Event package and Content-Type of each format. */
export const PRESENCE_FORMATS: Readonly<Record<PresenceFormat, { readonly event: string; readonly mediaType: string }>> = {
  'dialog-info': { event: 'dialog', mediaType: 'application/dialog-info+xml' },
  'cpim-pidf': { event: 'presence', mediaType: 'application/cpim-pidf+xml' },
  pidf: { event: 'presence', mediaType: 'application/pidf+xml' },
  xpidf: { event: 'presence', mediaType: 'application/xpidf+xml' },
};

/** ast_devstate_to_extenstate(): the extension state of an aggregated device state. */
export function extensionStateOf(state: DeviceState): number {
  switch (state) {
    case 'ONHOLD':
      return ExtensionState.onHold;
    case 'BUSY':
      return ExtensionState.busy;
    case 'UNAVAILABLE':
    case 'INVALID':
      return ExtensionState.unavailable;
    case 'RINGINUSE':
      return ExtensionState.inUse | ExtensionState.ringing;
    case 'RINGING':
      return ExtensionState.ringing;
    case 'INUSE':
      return ExtensionState.inUse;
    case 'NOT_INUSE':
    case 'UNKNOWN':
      return ExtensionState.notInUse;
  }
}

/** The devices of a hint (`SIP/alice&SIP/bob,presence-provider`): the part before the comma, split at `&`. */
export function hintDevices(hint: string): string[] {
  return (hint.split(',')[0] ?? '').split('&').filter((device) => device !== '');
}

/** ast_extension_state(): the extension state of a hint from its devices' states. */
export function hintState(hint: string, deviceState: (device: string) => DeviceState): number {
  return extensionStateOf(aggregateDeviceStates(hintDevices(hint).map(deviceState)));
}

/** What a state NOTIFY describes. */
export interface PresenceDocumentInput {
  readonly format: PresenceFormat;
  /** Extension state bits (`ExtensionState`). */
  readonly state: number;
  /** Every device of the hint is UNAVAILABLE: shown as not online whatever the state. */
  readonly allDevicesUnavailable: boolean;
  /** The watched extension. */
  readonly exten: string;
  /** URIs of the SUBSCRIBE's From and To, without URI parameters. */
  readonly from: string;
  readonly to: string;
  /** dialog-info `version` (chan_sip `dialogver`, counted per subscription from 0). */
  readonly version: number;
  /** sip.conf `notifyringing`. */
  readonly notifyRinging: 'yes' | 'no' | 'notinuse';
}

/**
 * The body of a presence or dialog state NOTIFY, byte for byte as chan_sip's
 * state_notify_build_xml() writes it (no Digium presence tuple: Tandem has no presence
 * providers).
 */
export function presenceDocument(input: PresenceDocumentInput): string {
  let localState: 'open' | 'inuse' | 'closed' = 'open';
  let dialogState = 'terminated';
  let pidfState = '--';
  let pidfNote = 'Ready';
  switch (input.state) {
    case ExtensionState.ringing | ExtensionState.inUse:
      dialogState = input.notifyRinging === 'yes' ? 'early' : 'confirmed';
      localState = 'inuse';
      pidfState = 'busy';
      pidfNote = 'Ringing';
      break;
    case ExtensionState.ringing:
      dialogState = 'early';
      localState = 'inuse';
      pidfState = 'busy';
      pidfNote = 'Ringing';
      break;
    case ExtensionState.inUse:
      dialogState = 'confirmed';
      localState = 'inuse';
      pidfState = 'busy';
      pidfNote = 'On the phone';
      break;
    case ExtensionState.busy:
      dialogState = 'confirmed';
      localState = 'closed';
      pidfState = 'busy';
      pidfNote = 'On the phone';
      break;
    case ExtensionState.unavailable:
      dialogState = 'terminated';
      localState = 'closed';
      pidfState = 'away';
      pidfNote = 'Unavailable';
      break;
    case ExtensionState.onHold:
      dialogState = 'confirmed';
      localState = 'closed';
      pidfState = 'busy';
      pidfNote = 'On hold';
      break;
    default:
      break;
  }
  // "If none of the hinted devices are registered, we will override notification".
  if (input.allDevicesUnavailable) {
    localState = 'closed';
    pidfState = 'away';
    pidfNote = 'Not online';
  }
  switch (input.format) {
    case 'xpidf':
    case 'cpim-pidf':
      return (
        '<?xml version="1.0"?>\n' +
        '<!DOCTYPE presence PUBLIC "-//IETF//DTD RFCxxxx XPIDF 1.0//EN" "xpidf.dtd">\n' +
        '<presence>\n' +
        `<presentity uri="${input.from};method=SUBSCRIBE" />\n` +
        `<atom id="${input.exten}">\n` +
        `<address uri="${input.to};user=ip" priority="0.800000">\n` +
        `<status status="${localState}" />\n` +
        `<msnsubstatus substatus="${localState === 'open' ? 'online' : localState === 'inuse' ? 'onthephone' : 'offline'}" />\n` +
        '</address>\n</atom>\n</presence>\n'
      );
    case 'pidf':
      return (
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n' +
        `<presence xmlns="urn:ietf:params:xml:ns:pidf" \nxmlns:pp="urn:ietf:params:xml:ns:pidf:person"\nxmlns:es="urn:ietf:params:xml:ns:pidf:rpid:status:rpid-status"\nxmlns:ep="urn:ietf:params:xml:ns:pidf:rpid:rpid-person"\nentity="${input.from}">\n` +
        '<pp:person><status>\n' +
        (pidfState.startsWith('-') ? '' : `<ep:activities><ep:${pidfState}/></ep:activities>\n`) +
        '</status></pp:person>\n' +
        `<note>${pidfNote}</note>\n` +
        `<tuple id="${input.exten}">\n` +
        `<contact priority="1">${input.to}</contact>\n` +
        `<status><basic>${pidfState.startsWith('b') || localState !== 'closed' ? 'open' : 'closed'}</basic></status>\n` +
        '</tuple>\n</presence>\n'
      );
    case 'dialog-info': {
      const ringing = input.state > 0 && (input.state & ExtensionState.ringing) !== 0 && input.notifyRinging !== 'no';
      let body = '<?xml version="1.0"?>\n';
      body += `<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="${input.version}" state="full" entity="${input.to}">\n`;
      body += ringing ? `<dialog id="${input.exten}" direction="recipient">\n` : `<dialog id="${input.exten}">\n`;
      body += `<state>${dialogState}</state>\n`;
      if (input.state === ExtensionState.onHold) {
        body += `<local>\n<target uri="${input.to}">\n<param pname="+sip.rendering" pvalue="no"/>\n</target>\n</local>\n`;
      }
      body += '</dialog>\n</dialog-info>\n';
      return body;
    }
  }
}

/** The MWI NOTIFY body (chan_sip transmit_notify_with_mwi()). */
export function messageSummary(newMessages: number, oldMessages: number, account: string, buggyMwi: boolean): string {
  return `Messages-Waiting: ${newMessages > 0 ? 'yes' : 'no'}\r\nMessage-Account: ${account}\r\nVoice-Message: ${newMessages}/${oldMessages}${buggyMwi ? '' : ' (0/0)'}\r\n`;
}
