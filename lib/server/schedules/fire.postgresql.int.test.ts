// Schedule firing on postgresql: the shared suite in fire.int.suite.ts (one provider per file, see there).
import { scheduleSuite } from './fire.int.suite';

scheduleSuite('postgresql');
