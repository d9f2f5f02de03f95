import { tandemVitest } from '../../vitest.shared.ts';

export default tandemVitest();
