import { globalSetup } from './setup';
export default globalSetup;
