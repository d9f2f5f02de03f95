import { buildSipConf, type BuildSipConfOptions, type ConfCategory, type ConfDocument, type ConfVariable, type SipDevice } from '@tandem/config';
import type { RealtimeRow } from '../realtime/realtime-driver.js';

/** Which kind of device a lookup was for (chan_sip FINDPEERS / FINDUSERS / FINDALLDEVICES). */
export type DeviceKind = 'peer' | 'user' | 'any';

/**
 * Builds a device's settings from a realtime row (chan_sip build_peer() on an ast_variable
 * list). Returns `undefined` when the row does not make a usable device.
 */
export type RealtimeDeviceBuilder = (name: string, row: RealtimeRow, kind: DeviceKind) => SipDevice | undefined;

/**
 * Columns chan_sip reads as registration state, not as settings (build_peer() `realtime &&`
 * branches); the peer directory handles them.
 */
export const REALTIME_STATE_COLUMNS: ReadonlySet<string> = new Set([
  'id',
  'name',
  'ipaddr',
  'regseconds',
  'fullcontact',
  'useragent',
  'lastms',
  'regserver',
  'path',
]);

/**
 * A `RealtimeDeviceBuilder` that applies a row exactly as a sip.conf section with the same
 * lines would be applied, on top of sip.conf's `[general]` (so general defaults such as
 * `context`, `nat`, `qualify` apply to realtime peers as they do in chan_sip). A row without
 * `type` is taken as the kind searched for (chan_sip realtime_peer()).
 */
export function createRealtimeDeviceBuilder(sipConfDocument: ConfDocument, options: BuildSipConfOptions = {}): RealtimeDeviceBuilder {
  const general = sipConfDocument.categories.find((category) => !category.isTemplate && category.name.toLowerCase() === 'general');
  return (name, row, kind) => {
    const where = { file: 'realtime', line: 0 };
    const variables: ConfVariable[] = row
      .filter((field) => !REALTIME_STATE_COLUMNS.has(field.name.toLowerCase()))
      .map((field) => ({ ...where, name: field.name, value: field.value, isObject: false }));
    if (!variables.some((variable) => variable.name.toLowerCase() === 'type')) {
      variables.push({ ...where, name: 'type', value: kind === 'any' ? 'friend' : kind, isObject: false });
    }
    const device: ConfCategory = { ...where, name, isTemplate: false, inherits: [], variables };
    const document: ConfDocument = {
      file: 'realtime',
      categories: general === undefined ? [device] : [general, device],
      diagnostics: [],
    };
    return buildSipConf(document, options).config.devices[0];
  };
}
