import { readFile } from 'fs/promises';
import * as path from 'path';

const TEMPLATES = path.join(__dirname, 'templates');

export async function renderPdf(template: string, rows: unknown) {
  const file = path.resolve(TEMPLATES, template);
  if (!file.startsWith(TEMPLATES + path.sep)) {
    throw new Error('bad template');
  }
  const layout = await readFile(file, 'utf8');
  return layout.replace('{{rows}}', JSON.stringify(rows));
}
