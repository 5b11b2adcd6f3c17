// Spanset operators over a span-set context, one spanset per trace (spec §7): `&&`, `||` and the
// structural relations, each combining a left mask L and a right mask R (one byte per span) into
// an output mask. Relations follow Tempo's nested-set model: only spans reached from a root are
// in the tree; unnumbered spans (orphans and their subtrees) never take part in a positive
// relation but do appear in negated results. Ancestors are found by walking parent links of
// numbered spans (acyclic by construction).
import * as Q from '../abi/query-layout';
import * as E from '../abi/errors';
import { alloc, free } from '../mem/alloc';
import { clearError, failPlain } from '../errors';

let parent: usize = 0;
let left: usize = 0;

// @ts-ignore: decorator
@inline function numbered(i: usize): bool {
  return load<i32>(left + (i << 2)) != 0;
}

// @ts-ignore: decorator
@inline function parentOf(i: usize): u32 {
  return load<u32>(parent + (i << 2));
}

// @ts-ignore: decorator
@inline function m(mask: usize, i: usize): bool {
  return load<u8>(mask + i) != 0;
}

/** Sibling key: the parent's index, or SPAN_COUNT + trace for roots (several roots are siblings). */
// @ts-ignore: decorator
@inline function siblingKey(ctx: usize, i: usize, n: usize): usize {
  let p = parentOf(i);
  if (p != Q.Q_NONE) return <usize>p;
  return n + <usize>load<u32>(<usize>load<u32>(ctx + Q.Q_TRACE_OF) + (i << 2));
}

/** Per-key counts of mask members (numbered spans only); null on out of memory. */
function siblingCounts(ctx: usize, mask: usize, n: usize, t: usize): usize {
  let counts = alloc((n + t) << 2);
  if (!counts) return 0;
  memory.fill(counts, 0, (n + t) << 2);
  for (let i: usize = 0; i < n; i++) {
    if (m(mask, i) && numbered(i)) {
      let k = siblingKey(ctx, i, n);
      store<u32>(counts + (k << 2), load<u32>(counts + (k << 2)) + 1);
    }
  }
  return counts;
}

/**
 * out = lhs `op` rhs per trace (J_* in abi/query-layout.ts). Masks are one byte per span of
 * `ctx`; `out` may not alias the inputs. Returns 0 or ERR_OUT_OF_MEMORY.
 */
export function qJoin(ctx: usize, op: u32, lm: usize, rm: usize, out: usize): u32 {
  clearError();
  let n = <usize>load<u32>(ctx + Q.Q_SPAN_COUNT);
  let t = <usize>load<u32>(ctx + Q.Q_TRACE_COUNT);
  parent = <usize>load<u32>(ctx + Q.Q_PARENT);
  left = <usize>load<u32>(ctx + Q.Q_LEFT);
  memory.fill(out, 0, n);
  switch (op) {
    case Q.J_OR:
      for (let i: usize = 0; i < n; i++) store<u8>(out + i, <u8>(m(lm, i) || m(rm, i)));
      return 0;
    case Q.J_AND: {
      // Per trace: both sides non-empty → their union.
      let order = <usize>load<u32>(ctx + Q.Q_ORDER);
      let first = <usize>load<u32>(ctx + Q.Q_TRACE_FIRST);
      let size = <usize>load<u32>(ctx + Q.Q_TRACE_SIZE);
      for (let tr: usize = 0; tr < t; tr++) {
        let f = <usize>load<u32>(first + (tr << 2));
        let sz = <usize>load<u32>(size + (tr << 2));
        let anyL = false;
        let anyR = false;
        for (let k: usize = 0; k < sz; k++) {
          let i = <usize>load<u32>(order + ((f + k) << 2));
          anyL = anyL || m(lm, i);
          anyR = anyR || m(rm, i);
        }
        if (!(anyL && anyR)) continue;
        for (let k: usize = 0; k < sz; k++) {
          let i = <usize>load<u32>(order + ((f + k) << 2));
          store<u8>(out + i, <u8>(m(lm, i) || m(rm, i)));
        }
      }
      return 0;
    }
    case Q.J_CHILD:
    case Q.J_NOT_CHILD:
    case Q.J_UNION_CHILD:
      for (let r: usize = 0; r < n; r++) {
        if (!m(rm, r) || !numbered(r)) continue;
        let p = parentOf(r);
        if (p != Q.Q_NONE && m(lm, <usize>p)) {
          store<u8>(out + r, 1);
          if (op == Q.J_UNION_CHILD) store<u8>(out + <usize>p, 1);
        }
      }
      break;
    case Q.J_PARENT:
    case Q.J_NOT_PARENT:
    case Q.J_UNION_PARENT:
      for (let l: usize = 0; l < n; l++) {
        if (!m(lm, l) || !numbered(l)) continue;
        let p = parentOf(l);
        if (p != Q.Q_NONE && m(rm, <usize>p)) {
          store<u8>(out + <usize>p, 1);
          if (op == Q.J_UNION_PARENT) store<u8>(out + l, 1);
        }
      }
      break;
    case Q.J_DESC:
    case Q.J_NOT_DESC:
    case Q.J_UNION_DESC:
      for (let r: usize = 0; r < n; r++) {
        if (!m(rm, r) || !numbered(r)) continue;
        let a = parentOf(r);
        let hit = false;
        while (a != Q.Q_NONE) {
          if (m(lm, <usize>a)) {
            hit = true;
            if (op != Q.J_UNION_DESC) break;
            store<u8>(out + <usize>a, 1);
          }
          a = parentOf(<usize>a);
        }
        if (hit) store<u8>(out + r, 1);
      }
      break;
    case Q.J_ANC:
    case Q.J_NOT_ANC:
    case Q.J_UNION_ANC:
      for (let l: usize = 0; l < n; l++) {
        if (!m(lm, l) || !numbered(l)) continue;
        let a = parentOf(l);
        let hit = false;
        while (a != Q.Q_NONE) {
          if (m(rm, <usize>a)) {
            hit = true;
            store<u8>(out + <usize>a, 1);
          }
          a = parentOf(<usize>a);
        }
        if (hit && op == Q.J_UNION_ANC) store<u8>(out + l, 1);
      }
      break;
    case Q.J_SIBLING:
    case Q.J_NOT_SIBLING:
    case Q.J_UNION_SIBLING: {
      let cl = siblingCounts(ctx, lm, n, t);
      if (!cl) {
        failPlain(E.ERR_OUT_OF_MEMORY, <u64>(n + t) << 2);
        return E.ERR_OUT_OF_MEMORY;
      }
      for (let r: usize = 0; r < n; r++) {
        if (!m(rm, r) || !numbered(r)) continue;
        let c = load<u32>(cl + (siblingKey(ctx, r, n) << 2)) - (m(lm, r) ? 1 : 0);
        if (c > 0) store<u8>(out + r, 1);
      }
      if (op == Q.J_UNION_SIBLING) {
        let cr = siblingCounts(ctx, rm, n, t);
        if (!cr) {
          free(cl);
          failPlain(E.ERR_OUT_OF_MEMORY, <u64>(n + t) << 2);
          return E.ERR_OUT_OF_MEMORY;
        }
        for (let l: usize = 0; l < n; l++) {
          if (!m(lm, l) || !numbered(l)) continue;
          let c = load<u32>(cr + (siblingKey(ctx, l, n) << 2)) - (m(rm, l) ? 1 : 0);
          if (c > 0) store<u8>(out + l, 1);
        }
        free(cr);
      }
      free(cl);
      break;
    }
    default:
      failPlain(E.ERR_BAD_ARGUMENT, <u64>op);
      return E.ERR_BAD_ARGUMENT;
  }
  if (op >= <u32>Q.J_NOT_CHILD && op <= <u32>Q.J_NOT_SIBLING) {
    // Negations: R minus the positive result.
    for (let r: usize = 0; r < n; r++) store<u8>(out + r, <u8>(m(rm, r) && !m(out, r)));
  }
  return 0;
}
