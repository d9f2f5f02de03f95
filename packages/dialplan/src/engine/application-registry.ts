/**
 * Dialplan applications (Asterisk 20, main/pbx_app.c): a registry the host can extend with
 * technology-specific applications.
 */
import { DialplanError } from '../dialplan-error.js';
import type { DialplanSession } from './dialplan-session.js';

/**
 * What an application tells the PBX loop (Asterisk's return values): `continue` (0) runs the
 * next priority; `hangup` (-1) ends the PBX and runs `h`; `error` (AST_PBX_ERROR) goes to `e`
 * when it exists; `incomplete` (AST_PBX_INCOMPLETE) waits for more digits; `{ digit }` starts
 * collecting a new extension with that digit (BackGround, WaitExten).
 */
export type ApplicationResult = 'continue' | 'hangup' | 'error' | 'incomplete' | { readonly digit: string };

/** Documentation shown by `core show application X`. */
export interface ApplicationDocumentation {
  /** One line (`core show applications` prints it). */
  readonly synopsis: string;
  /** `Dial(Technology/Resource[&Technology2/Resource2[&...]],[timeout,[options,[URL]]])`. */
  readonly syntax: string;
  readonly description?: string;
}

/** An application: `data` is the substituted text between its parentheses. */
export interface DialplanApplication extends ApplicationDocumentation {
  readonly name: string;
  execute(session: DialplanSession, data: string): ApplicationResult | Promise<ApplicationResult>;
}

/** Applications by name (case-insensitive, as pbx_findapp()). */
export class ApplicationRegistry {
  private readonly applications = new Map<string, DialplanApplication>();

  /** Adds an application; `replace` allows overriding a built-in one. */
  register(application: DialplanApplication, options: { replace?: boolean } = {}): void {
    const key = application.name.toLowerCase();
    if (this.applications.has(key) && !options.replace) {
      throw new DialplanError('invalid-argument', `Application '${application.name}' is already registered`);
    }
    this.applications.set(key, application);
  }

  /** Removes an application; returns whether it existed. */
  unregister(name: string): boolean {
    return this.applications.delete(name.toLowerCase());
  }

  get(name: string): DialplanApplication | undefined {
    return this.applications.get(name.toLowerCase());
  }

  has(name: string): boolean {
    return this.applications.has(name.toLowerCase());
  }

  /** Every application, sorted by name (case-insensitive), as `core show applications` lists them. */
  list(): DialplanApplication[] {
    // pbx_app.c keeps them in strcasecmp() order.
    return [...this.applications.values()].sort((a, b) => {
      const left = a.name.toLowerCase();
      const right = b.name.toLowerCase();
      return left < right ? -1 : left > right ? 1 : 0;
    });
  }
}
