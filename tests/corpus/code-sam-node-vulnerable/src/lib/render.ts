import { readFile } from 'fs/promises';
import * as path from 'path';

export async function renderPdf(template: string, rows: unknown) {
  const layout = await readFile(path.join(__dirname, 'templates', template), 'utf8');
  return layout.replace('{{rows}}', JSON.stringify(rows));
}
