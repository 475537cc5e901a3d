import { registerScopePath } from '../../org/index.ts';
import { evidenceItems } from './evidence.tables.ts';

registerScopePath(evidenceItems, evidenceItems.unitPath, '佐证材料报送单位');
