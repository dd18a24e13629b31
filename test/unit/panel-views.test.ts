/** The panel views' pure parts: the static report page, the compare and bench view models. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STATIC_CSP, staticHtml } from '../../src/extension/model/static-html.js';

test('a static report gets a CSP that allows only inline styles and data: images, first in its head', () => {
  const doc = '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>x &lt;head&gt;</title></head><body><svg></svg></body></html>';
  const out = staticHtml(doc);
  const meta = `<meta http-equiv="Content-Security-Policy" content="${STATIC_CSP}">`;
  assert.ok(out.startsWith('<!DOCTYPE html>\n<html lang="en">\n<head>\n' + meta), out.slice(0, 200));
  assert.equal(out.replace(`\n${meta}`, ''), doc, 'nothing else of the document changes');
  assert.match(STATIC_CSP, /default-src 'none'/);
  assert.doesNotMatch(STATIC_CSP, /script-src|unsafe-eval|https?:/);
  // A fragment without a head still gets the policy before its content.
  const frag = staticHtml('<p>hi</p>');
  assert.ok(frag.indexOf(meta) < frag.indexOf('<p>hi</p>'));
});
