/**
 * A strict little XML well-formedness checker for the tests (no XML parser is installed): matched
 * tags, quoted attributes without raw '<' or '&', only the five XML entities or numeric references,
 * one root element. Returns the element names in document order.
 */
export function parseXml(text: string): { root: string; elements: string[] } {
  const elements: string[] = [];
  const stack: string[] = [];
  let i = 0;
  let root = '';
  const entity = /^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/;
  const checkText = (s: string, where: number): void => {
    for (let k = 0; k < s.length; k++) {
      if (s[k] === '&' && !entity.test(s.slice(k)))
        throw new Error(`bad entity at ${where + k}: ${s.slice(k, k + 12)}`);
      if (s[k] === '<') throw new Error(`raw '<' at ${where + k}`);
    }
  };
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) {
      checkText(text.slice(i), i);
      break;
    }
    const chunk = text.slice(i, lt);
    if (stack.length === 0 && chunk.trim() !== '') throw new Error(`text outside the root element at ${i}`);
    checkText(chunk, i);
    const gt = findTagEnd(text, lt);
    const tag = text.slice(lt + 1, gt);
    i = gt + 1;
    if (tag.startsWith('?') || tag.startsWith('!')) continue;
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}> at ${lt}`);
      continue;
    }
    const selfClosing = tag.endsWith('/');
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const m = /^([A-Za-z_][\w:.-]*)(.*)$/s.exec(body);
    if (!m) throw new Error(`bad tag at ${lt}: <${tag.slice(0, 30)}>`);
    const name = m[1]!;
    let attrs = m[2]!.trim();
    const seen = new Set<string>();
    while (attrs.length) {
      const a = /^([A-Za-z_][\w:.-]*)="([^"]*)"\s*/.exec(attrs);
      if (!a) throw new Error(`bad attribute in <${name}> at ${lt}: ${attrs.slice(0, 40)}`);
      if (seen.has(a[1]!)) throw new Error(`duplicate attribute ${a[1]} in <${name}>`);
      seen.add(a[1]!);
      checkText(a[2]!, lt);
      attrs = attrs.slice(a[0].length);
    }
    if (stack.length === 0) {
      if (root) throw new Error('more than one root element');
      root = name;
    }
    elements.push(name);
    if (!selfClosing) stack.push(name);
  }
  if (stack.length) throw new Error(`unclosed <${stack.join('>, <')}>`);
  if (!root) throw new Error('no root element');
  return { root, elements };
}

function findTagEnd(text: string, lt: number): number {
  let q = false;
  for (let k = lt + 1; k < text.length; k++) {
    const c = text[k];
    if (c === '"') q = !q;
    else if (c === '>' && !q) return k;
  }
  throw new Error(`unterminated tag at ${lt}`);
}

export function count(elements: string[], name: string): number {
  return elements.filter((e) => e === name).length;
}
