import { loadClink, ClinkError, CLINK_ERROR_CODES } from '@clink-ai/clink-js';
import { runScenario } from '../../shared/scenario.js';

runScenario({ loadClink, ClinkError, CLINK_ERROR_CODES });
