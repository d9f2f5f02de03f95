import { fileURLToPath } from 'node:url';

/**
 * Where the build installs the bundled prompts (`pnpm -F @tandem/media build`): the package's
 * `sounds/` directory. Relative names given to `play()` resolve against it by default.
 */
export const bundledSoundsDir: string = fileURLToPath(new URL('../sounds', import.meta.url));

/** The bundled music on hold (`moh/` of the sounds): the `default` class when musiconhold.conf is absent. */
export const bundledMusicDir: string = fileURLToPath(new URL('../sounds/moh', import.meta.url));
