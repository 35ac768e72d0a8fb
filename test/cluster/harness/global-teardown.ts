import { globalTeardown } from './setup';
export default globalTeardown;
