/**
 * Checks on parsed documents before anything walks them. YAML, unlike JSON, can refer to itself (an alias inside
 * its own anchor) and can share one node many times (aliases of aliases: a few hundred bytes that expand to
 * billions of values), and either kind of document can nest deeper than a recursive walk's stack. The walk here
 * is iterative and visits each node once, so it costs time in proportion to the text, whatever the text holds.
 */

export interface DocumentLimits {
  /** Values the document may hold once aliases are expanded (objects, arrays and scalars). */
  maxNodes: number;
  /** Levels of nesting. */
  maxDepth: number;
}

export interface DocumentShape {
  /** What is wrong, if anything: a loop, too deep, or too many values once expanded. */
  problem?: 'cycle' | 'depth' | 'size';
}

/** Inspects a parsed document in time linear in its distinct nodes. */
export function inspectDocument(value: unknown, limits: DocumentLimits): DocumentShape {
  if (typeof value !== 'object' || value === null) return {};
  /** For each finished node: its expanded size and its depth. */
  const done = new Map<object, { size: number; depth: number }>();
  const onPath = new Set<object>();
  const stack: Array<{ node: object; children: unknown[]; next: number; size: number; depth: number }> = [];
  const enter = (node: object): void => {
    onPath.add(node);
    stack.push({ node, children: Object.values(node), next: 0, size: 1, depth: 1 });
  };
  enter(value);
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as (typeof stack)[number];
    if (stack.length > limits.maxDepth) return { problem: 'depth' };
    if (top.next < top.children.length) {
      const child = top.children[top.next++];
      if (typeof child !== 'object' || child === null) {
        top.size += 1;
      } else if (onPath.has(child)) {
        return { problem: 'cycle' };
      } else {
        const seen = done.get(child);
        if (seen) {
          top.size += seen.size;
          top.depth = Math.max(top.depth, seen.depth + 1);
        } else {
          enter(child);
        }
      }
      if (top.size > limits.maxNodes) return { problem: 'size' };
      continue;
    }
    stack.pop();
    onPath.delete(top.node);
    done.set(top.node, { size: top.size, depth: top.depth });
    if (top.depth > limits.maxDepth) return { problem: 'depth' };
    const parent = stack[stack.length - 1];
    if (parent) {
      parent.size += top.size;
      parent.depth = Math.max(parent.depth, top.depth + 1);
      if (parent.size > limits.maxNodes) return { problem: 'size' };
    }
  }
  return {};
}

/** Whether a parsed document holds itself: a YAML alias inside its own anchor (`list: &a [*a]`). */
export function refersToItself(value: unknown): boolean {
  return inspectDocument(value, { maxNodes: Infinity, maxDepth: Infinity }).problem === 'cycle';
}
