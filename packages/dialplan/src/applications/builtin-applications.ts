/** Every application Tandem's dialplan provides, and a registry preloaded with them. */
import { ApplicationRegistry, type DialplanApplication } from '../engine/application-registry.js';
import { basicCallApplications } from './basic-call.js';
import { channelApplications } from './channel-applications.js';
import { dialApplications } from './dial.js';
import { flowApplications } from './flow.js';
import { macroApplications } from './macro.js';
import { mediaApplications } from './media.js';
import { sipHeaderApplications } from './sip-header-applications.js';
import { variableApplications } from './variable-applications.js';

/** The built-in applications. */
export const builtinApplications: readonly DialplanApplication[] = [
  ...basicCallApplications,
  ...flowApplications,
  ...macroApplications,
  ...variableApplications,
  ...mediaApplications,
  ...channelApplications,
  ...sipHeaderApplications,
  ...dialApplications,
];

/** A registry with every built-in application; the host adds its own. */
export function createApplicationRegistry(): ApplicationRegistry {
  const registry = new ApplicationRegistry();
  for (const application of builtinApplications) registry.register(application);
  return registry;
}
