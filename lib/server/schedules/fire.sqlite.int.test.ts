// Schedule firing on sqlite: the shared suite in fire.int.suite.ts (one provider per file, see there).
import { scheduleSuite } from './fire.int.suite';

scheduleSuite('sqlite');
