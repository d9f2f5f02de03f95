import type { ConfCategory, ConfDocument, ConfVariable, Diagnostic, SourceLocation } from '../conf-types.js';
import { categoriesNamed, firstCategory, firstVariable, sameName } from '../document/category-lookup.js';
import { errorAt, warningAt } from '../diagnostics/diagnostic.js';
import { ParsedOnlyOptions } from '../diagnostics/parsed-only-options.js';
import type { OptionContext } from './option-appliers.js';
import { addRegistration } from './register-line.js';
import type { SipConf, SipDevice, SipGeneral, SipRealmAuth, SipTransport } from './sip-conf-types.js';
import type { DeviceDraft, GeneralDraft, SectionPass } from './sip-drafts.js';
import { defaultGeneralDraft, newDeviceDraft, newSectionPass } from './sip-drafts.js';
import { findSipOption } from './sip-options.js';
import type { SipOptionSpec } from './sip-options.js';
import { parseRealmAuth } from './sip-value-appliers.js';

/** Options of {@link buildSipConf}. */
export interface BuildSipConfOptions {
  /** asterisk.conf `[options] systemname`: the default digest realm when set. */
  readonly systemName?: string;
}

/** Collects diagnostics, dropping exact repeats (inherited template lines are read once per device). */
class DiagnosticSink {
  readonly list: Diagnostic[] = [];
  private readonly seen = new Set<string>();

  add(diagnostic: Diagnostic): void {
    const key = `${diagnostic.severity}|${diagnostic.file}|${diagnostic.line}|${diagnostic.column ?? ''}|${diagnostic.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push(diagnostic);
  }
}

/**
 * Builds the typed sip.conf model the way chan_sip (Asterisk 20) `reload_config()` and
 * `build_peer()` read the file: `[general]` first (the first non-template one), then
 * `[authentication]`, then every other non-template section as a device. Unknown options
 * warn, invalid values are errors, and options Tandem only parses are named in one warning.
 */
export function buildSipConf(doc: ConfDocument, options: BuildSipConfOptions = {}): { config: SipConf; diagnostics: Diagnostic[] } {
  const sink = new DiagnosticSink();
  const parsedOnly = new ParsedOnlyOptions();
  const general = defaultGeneralDraft(options.systemName);
  const generalCategory = firstCategory(doc, 'general');
  if (generalCategory !== undefined) readGeneral(general, generalCategory, sink, parsedOnly);
  for (const ignored of categoriesNamed(doc, 'general').slice(1)) {
    sink.add(warningAt(ignored, 'a second [general] section is ignored (chan_sip reads only the first)'));
  }
  const settledGeneral = settleGeneral(general, generalCategory ?? { file: doc.file, line: 0 }, sink);
  const authentication = readAuthentication(doc, general, sink);
  const devices = readDevices(doc, general, sink, parsedOnly);
  for (const device of devices) addCallbackRegistration(device, general, sink);
  const parsedOnlyOptions = parsedOnly.names;
  const parsedOnlyWarning = parsedOnly.warning();
  if (parsedOnlyWarning !== undefined) sink.add(parsedOnlyWarning);
  return {
    config: {
      general: settledGeneral,
      devices,
      registrations: general.registrations,
      mwiSubscriptions: general.mwiSubscriptions,
      authentication,
      parsedOnlyOptions,
    },
    diagnostics: sink.list,
  };
}

function contextFor(variable: ConfVariable, general: GeneralDraft, pass: SectionPass, section: string, sink: DiagnosticSink): OptionContext {
  return {
    variable,
    general,
    pass,
    section,
    error: (message) => sink.add(errorAt(variable, message)),
    warning: (message) => sink.add(warningAt(variable, message)),
  };
}

function noteParsedOnly(option: SipOptionSpec, variable: ConfVariable, parsedOnly: ParsedOnlyOptions): void {
  if (option.status === 'parsed') parsedOnly.note(option.name, variable);
}

// chan_sip: reload_config(), the loop over ast_variable_browse(cfg, "general").
function readGeneral(general: GeneralDraft, category: ConfCategory, sink: DiagnosticSink, parsedOnly: ParsedOnlyOptions): void {
  const pass = newSectionPass();
  for (const variable of category.variables) {
    const option = findSipOption(variable.name);
    if (option === undefined) {
      sink.add(warningAt(variable, `unknown option '${variable.name}' in [general] of sip.conf, ignored`));
      continue;
    }
    if (option.inGeneral === undefined) {
      sink.add(warningAt(variable, `'${variable.name}' is a device option; it has no effect in [general]`));
      continue;
    }
    noteParsedOnly(option, variable, parsedOnly);
    option.inGeneral(general, variable.value, contextFor(variable, general, pass, 'general', sink));
  }
  general.subminexpiry = pass.subminexpirySet ? general.subminexpiry : general.minexpiry;
  general.submaxexpiry = pass.submaxexpirySet ? general.submaxexpiry : general.maxexpiry;
  const defaults = general.deviceDefaults;
  // chan_sip: reload_config() after the loop: t1min, then Timer B against 64 x T1 (RFC 3261 §17.1.1.2).
  if (defaults.timerT1 < general.t1min) {
    sink.add(warningAt(category, `'t1min' (${general.t1min}) cannot be greater than 'timert1' (${defaults.timerT1}): timert1 set to t1min`));
    defaults.timerT1 = general.t1min;
  }
  if (defaults.timerB < defaults.timerT1 * 64) {
    if (pass.timerbSet) {
      defaults.timerT1 = Math.floor(defaults.timerB / 64);
      if (defaults.timerT1 < general.t1min) {
        defaults.timerT1 = general.t1min;
        defaults.timerB = defaults.timerT1 * 64;
      }
      sink.add(warningAt(category, `with timerb in [general], Asterisk 20 keeps Timer B at ${defaults.timerB} ms and sets timert1 to ${defaults.timerT1} ms`));
    } else {
      defaults.timerB = defaults.timerT1 * 64;
    }
  }
  if (!general.allowexternaldomains && general.domains.length === 0) {
    sink.add(warningAt(category, 'to disallow external domains, you need to configure local SIP domains; allowexternaldomains stays yes'));
    general.allowexternaldomains = true;
  }
  defaults.transports = usableGeneralTransports(defaults.transports, general, category, sink);
}

// chan_sip: reload_config(): tcp/tls are removed while not enabled; udp when nothing is left.
function usableGeneralTransports(transports: readonly SipTransport[], general: GeneralDraft, where: SourceLocation, sink: DiagnosticSink): SipTransport[] {
  const usable = transports.filter((transport) => {
    if (transport === 'tcp' && !general.tcpEnabled) {
      sink.add(warningAt(where, "cannot use 'tcp' transport with tcpenable=no; removed from available transports"));
      return false;
    }
    if (transport === 'tls' && !general.tls.enabled) {
      sink.add(warningAt(where, "cannot use 'tls' transport with tlsenable=no; removed from available transports"));
      return false;
    }
    return true;
  });
  if (usable.length === 0) {
    sink.add(warningAt(where, "no valid transports available, falling back to 'udp'"));
    return ['udp'];
  }
  return usable;
}

/** Fixes the bind addresses once every `[general]` line has been read. */
function settleGeneral(general: GeneralDraft, where: SourceLocation, sink: DiagnosticSink): SipGeneral {
  const { bindaddr, bindport, tcpBindAddress, tls, registrations: _registrations, mwiSubscriptions: _mwi, usernameDeprecationReported: _reported, ...rest } = general;
  if (bindport !== undefined && bindaddr.port !== undefined && bindaddr.port !== 0) {
    sink.add(warningAt(where, `bindport is also specified in bindaddr; using ${bindport}`));
  }
  const udpPort = bindport ?? (bindaddr.port !== undefined && bindaddr.port !== 0 ? bindaddr.port : 5060);
  const udpBindAddress = { host: bindaddr.host, family: bindaddr.family, port: udpPort };
  // chan_sip: TCP listens on the UDP address and port unless tcpbindaddr says otherwise.
  const tcp = tcpBindAddress ?? udpBindAddress;
  const tlsBind = tls.bindAddress ?? { host: bindaddr.host, family: bindaddr.family, port: 5061 };
  const { bindAddress: _tlsBind, ...tlsRest } = tls;
  return {
    ...rest,
    udpBindAddress,
    tcpBindAddress: { host: tcp.host, family: tcp.family, port: tcp.port !== undefined && tcp.port !== 0 ? tcp.port : 5060 },
    tls: { ...tlsRest, bindAddress: { host: tlsBind.host, family: tlsBind.family, port: tlsBind.port !== undefined && tlsBind.port !== 0 ? tlsBind.port : 5061 } },
  };
}

// chan_sip: reload_config(), "Build list of authentication to various SIP realms".
function readAuthentication(doc: ConfDocument, general: GeneralDraft, sink: DiagnosticSink): SipRealmAuth[] {
  const category = firstCategory(doc, 'authentication');
  const entries: SipRealmAuth[] = [];
  for (const ignored of categoriesNamed(doc, 'authentication').slice(1)) {
    sink.add(warningAt(ignored, 'a second [authentication] section is ignored (chan_sip reads only the first)'));
  }
  if (category === undefined) return entries;
  const pass = newSectionPass();
  for (const variable of category.variables) {
    if (!sameName(variable.name, 'auth')) {
      sink.add(warningAt(variable, `unknown option '${variable.name}' in [authentication] of sip.conf, ignored (only auth = lines are read)`));
      continue;
    }
    const auth = parseRealmAuth(variable.value, contextFor(variable, general, pass, 'authentication', sink));
    if (auth !== undefined) entries.push(auth);
  }
  return entries;
}

// chan_sip: reload_config() "Load peers, users and friends", then build_peer() per section.
function readDevices(doc: ConfDocument, general: GeneralDraft, sink: DiagnosticSink, parsedOnly: ParsedOnlyOptions): SipDevice[] {
  const devices = new Map<string, DeviceDraft>();
  for (const category of doc.categories) {
    if (category.isTemplate || sameName(category.name, 'general') || sameName(category.name, 'authentication')) continue;
    const type = firstVariable(category, 'type');
    if (type === undefined) {
      sink.add(warningAt(category, `section '${category.name}' lacks type, skipped`));
      continue;
    }
    if (!['user', 'friend', 'peer'].includes(type.value.toLowerCase())) {
      sink.add(errorAt(type, `unknown type '${type.value}' for '${category.name}' in sip.conf (expected peer, user or friend)`));
      continue;
    }
    const existing = devices.get(category.name);
    const device = existing ?? newDeviceDraft(category.name, general.deviceDefaults);
    if (existing !== undefined) {
      // build_peer() on a device already built in this load: settings add up, but these lists restart.
      sink.add(warningAt(category, `device '${category.name}' is defined again; chan_sip applies this section on top of the earlier one`));
      device.setvars = [];
      device.headers = [];
      device.auth = [];
      device.mailboxes = [];
    }
    readDeviceSection(device, category, general, sink, parsedOnly);
    devices.set(category.name, device);
  }
  return [...devices.values()];
}

function readDeviceSection(device: DeviceDraft, category: ConfCategory, general: GeneralDraft, sink: DiagnosticSink, parsedOnly: ParsedOnlyOptions): void {
  const pass = newSectionPass();
  device.sections = [...device.sections, locationOf(category)];
  // build_peer() clears the transports before reading and falls back to general's when none is set.
  device.transports = [];
  for (const variable of category.variables) {
    const option = findSipOption(variable.name);
    if (option === undefined) {
      sink.add(warningAt(variable, `unknown option '${variable.name}' in [${category.name}] of sip.conf, ignored`));
      continue;
    }
    if (option.inDevice === undefined) {
      sink.add(warningAt(variable, `'${variable.name}' is only valid in [general]; ignored in [${category.name}]`));
      continue;
    }
    noteParsedOnly(option, variable, parsedOnly);
    option.inDevice(device, variable.value, contextFor(variable, general, pass, category.name, sink));
  }
  if (device.transports.length === 0) device.transports = general.deviceDefaults.transports;
  settleDeviceTimers(device, pass, general, category, sink);
}

// chan_sip: build_peer(): "Timer B is dependent upon T1 and MUST NOT be lower than T1 * 64".
function settleDeviceTimers(
  device: DeviceDraft,
  pass: SectionPass,
  general: GeneralDraft,
  where: SourceLocation,
  sink: DiagnosticSink,
): void {
  if (device.timerB >= device.timerT1 * 64) return;
  if (pass.timerbSet && pass.timert1Set) {
    sink.add(warningAt(where, `Timer B has been set lower than recommended for peer ${device.name} (${device.timerB} < 64 * Timer-T1=${device.timerT1})`));
  } else if (pass.timerbSet) {
    device.timerT1 = Math.floor(device.timerB / 64);
    if (device.timerT1 < general.t1min) {
      sink.add(warningAt(where, `Timer B has been set lower than recommended (${device.timerB} < 64 * timert1=${device.timerT1}) (RFC 3261, 17.1.1.2)`));
      device.timerT1 = general.t1min;
      device.timerB = device.timerT1 * 64;
    }
    device.timerT1 = Math.floor(device.timerB / 64);
  } else {
    device.timerB = device.timerT1 * 64;
  }
}

function locationOf(category: ConfCategory): SourceLocation {
  return category.column === undefined
    ? { file: category.file, line: category.line }
    : { file: category.file, line: category.line, column: category.column };
}

/**
 * chan_sip: build_peer() end: a device with `callbackextension` registers itself as
 * `name?(fromuser|defaultuser):(remotesecret|secret):defaultuser@host/callbackextension`.
 */
function addCallbackRegistration(device: SipDevice, general: GeneralDraft, sink: DiagnosticSink): void {
  if (device.callbackextension === '') return;
  const where = device.sections[0] ?? { file: 'sip.conf', line: 0 };
  if (device.host?.kind !== 'static') {
    sink.add(errorAt(where, `callbackextension on '${device.name}' needs a static host= to register to`));
    return;
  }
  const user = device.fromuser !== '' ? device.fromuser : device.defaultuser;
  const secret = device.remotesecret !== '' ? device.remotesecret : device.secret;
  const line = `${device.name}?${user}:${secret}:${device.defaultuser}@${device.host.host}/${device.callbackextension}`;
  const variable: ConfVariable = { ...where, name: 'callbackextension', value: device.callbackextension, isObject: false };
  addRegistration(general.registrations, line, general.defaultexpiry, contextFor(variable, general, newSectionPass(), device.name, sink));
}
