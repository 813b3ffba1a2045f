// tests/browser/test_layout_small_screens.py: one pass over the page, every element wider than
// the viewport, every touch target under 44 x 44 px and every squeezed radio or checkbox.
(() => {
  const width = document.documentElement.clientWidth;
  const describe = (node) => {
    const text = (node.innerText || node.value || node.getAttribute('aria-label') || '').trim();
    return `${node.tagName.toLowerCase()}${node.id ? '#' + node.id : ''}`
      + `${node.className && typeof node.className === 'string' ? '.' + node.className.trim().split(/\s+/).join('.') : ''}`
      + ` "${text.slice(0, 40)}"`;
  };
  const shown = (node) => {
    const box = node.getBoundingClientRect();
    const style = getComputedStyle(node);
    if (box.width <= 1 && box.height <= 1) return false;  // visually hidden helpers
    if (style.visibility === 'hidden' || style.display === 'none') return false;
    if (box.bottom <= 0 || box.right <= 0) return false;  // waiting off screen (skip link)
    return node.getClientRects().length > 0;
  };
  const inline = (node) => {
    if (node.tagName !== 'A') return false;
    let block = node.parentElement;
    while (block && getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
    if (!block) return false;
    const all = block.innerText.replace(/\s+/g, ' ').trim();
    const own = node.innerText.replace(/\s+/g, ' ').trim();
    return all.length > own.length + 1;  // other words around the link: a link in running text
  };
  // Inside a box that scrolls sideways on its own (a wide table), only the box must fit.
  const scrolls = (node) => {
    for (let up = node.parentElement; up && up !== document.body; up = up.parentElement) {
      if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(up).overflowX)) return true;
    }
    return false;
  };
  const wide = [];
  for (const node of document.body.querySelectorAll('*')) {
    if (!shown(node) || scrolls(node)) continue;
    const box = node.getBoundingClientRect();
    if (box.right > width + 0.5 || box.left < -0.5 && box.right > 0) {
      wide.push(`${describe(node)} ${Math.round(box.left)}..${Math.round(box.right)}`);
    }
  }
  const small = [];
  const targets = document.body.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, label');
  for (const node of targets) {
    if (!shown(node)) continue;
    let target = node;
    if (node.tagName === 'LABEL') {
      if (!node.control || !node.control.matches('[type=radio], [type=checkbox]')) continue;
    } else if (node.matches('input[type=radio], input[type=checkbox]')) {
      if (node.labels.length) continue;  // its label is the target (measured as a label)
    } else if (inline(node)) {
      continue;
    }
    const box = target.getBoundingClientRect();
    if (box.width < 43.5 || box.height < 43.5) {
      small.push(`${describe(target)} ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  // A radio dot or checkbox beside words that wrap must keep its shape (not squeezed to 13 x 20).
  const squashed = [];
  for (const node of document.body.querySelectorAll('input[type=radio], input[type=checkbox]')) {
    const box = node.getBoundingClientRect();
    if (shown(node) && getComputedStyle(node).opacity !== '0' && Math.abs(box.width - box.height) > 1) {
      squashed.push(`${describe(node)} ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return {width, scroll: document.documentElement.scrollWidth, wide, small, squashed};
})
