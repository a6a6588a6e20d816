;; The batch scorer's tree walk (see batch.ts, predictPackedRows), for rows whose codes are in memory.
;;
;; Memory, laid out by walker.ts: the forest's nodes, 8 bytes each in the packed forest's order (a
;; tree's nodes in preorder, the left child right after its parent): a split holds its feature's byte
;; offset in a row's codes (u16), its threshold code (u16) and how many bytes ahead its right child is
;; (i32); a leaf holds 0xffff, then at offset 4 the address of its value (f64). Then the leaf values,
;; the roots' addresses (i32), a block's codes (u16, row-major, each row's codes at a power-of-two
;; stride: row r at codes + (r << shift) bytes) and the block's sums (f64, one per row). Linear memory
;; is bounds-checked by the engine's guard pages, not by an instruction per access: what JavaScript
;; pays on every typed-array access.
;;
;; A step is about ten instructions: the row's code for the node's feature against the node's code
;; chooses, without a branch, between the next node (left) and the right child. A tree stays in
;; cache while a block walks it, so the walk is bound by the instructions it runs and the branches
;; it mispredicts rather than by memory, and the nodes are laid out for the step instead of packed
;; (the packed word's three fields cost a shift and a mask each, every step).
;;
;; For each tree in order, 8 rows walk it side by side; a row reaching its leaf adds the leaf's value
;; to its sum and hands its place to the next row of the block, so no place idles while a deeper
;; row finishes (walking four rows until the deepest of them is done wasted a quarter of the steps).
;; A place is two numbers, its node and its row's address (the row's number is that address shifted:
;; the power-of-two stride), so the 8 places' state stays in registers. When no row is left, the
;; rows still walking finish one at a time. Each row's leaf value is added to its sum in tree order,
;; as the JavaScript walk adds it: the same sums bit for bit.
;;
;; Adult's 100-tree forest, 40,000 rows on one thread: 45 ns a tree and row with four rows at a time
;; over the packed 4-byte words, 39 with these nodes and eight places, 35 with the leaf's sum added
;; in the loop rather than by a call, 27 with the places in registers (two numbers each rather
;; than four: at eight places of four the compiled walk spilled them to the stack).
(module
  (memory (export "memory") 1)

  ;; The sum at $at += the value of the leaf at address $leaf
  (func $addLeaf (param $at i32) (param $leaf i32)
    (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (f64.load (i32.load offset=4 (local.get $leaf))))))

  ;; The address of the leaf the row whose codes start at $row reaches from the node at $a.
  (func $leafOf (param $row i32) (param $a i32) (result i32)
    (local $f i32)
    (local.set $f (i32.load16_u (local.get $a)))
    (block $leaf (loop $step
      (br_if $leaf (i32.eq (local.get $f) (i32.const 0xffff)))
      (local.set $a (i32.add (local.get $a)
        (select (i32.load offset=4 (local.get $a)) (i32.const 8)
          (i32.gt_u (i32.load16_u (i32.add (local.get $row) (local.get $f))) (i32.load16_u offset=2 (local.get $a))))))
      (local.set $f (i32.load16_u (local.get $a)))
      (br $step)))
    (local.get $a))

  ;; Adds every tree's leaf value to sums[r] for the block's rows r in [0, rows). $roots holds each
  ;; tree's root address (i32); row r's codes start at $codes + (r << $shift).
  (func (export "walk") (param $roots i32) (param $trees i32) (param $codes i32) (param $sums i32) (param $shift i32) (param $rows i32)
    (local $t i32) (local $root i32) (local $r i32) (local $next i32) (local $end i32) (local $rowBytes i32) (local $done i32) (local $at i32) (local $f i32)
    (local $a0 i32) (local $row0 i32) (local $a1 i32) (local $row1 i32) (local $a2 i32) (local $row2 i32) (local $a3 i32) (local $row3 i32) (local $a4 i32) (local $row4 i32) (local $a5 i32) (local $row5 i32) (local $a6 i32) (local $row6 i32) (local $a7 i32) (local $row7 i32)
    (local.set $rowBytes (i32.shl (i32.const 1) (local.get $shift)))
    (local.set $end (i32.add (local.get $codes) (i32.shl (local.get $rows) (local.get $shift))))
    (block $trees_done (loop $each_tree
      (br_if $trees_done (i32.ge_u (local.get $t) (local.get $trees)))
      (local.set $root (i32.load (i32.add (local.get $roots) (i32.shl (local.get $t) (i32.const 2)))))
      (if (i32.ge_u (local.get $rows) (i32.const 8))
        (then
        (local.set $row0 (i32.add (local.get $codes) (i32.shl (i32.const 0) (local.get $shift))))
        (local.set $a0 (local.get $root))
        (local.set $row1 (i32.add (local.get $codes) (i32.shl (i32.const 1) (local.get $shift))))
        (local.set $a1 (local.get $root))
        (local.set $row2 (i32.add (local.get $codes) (i32.shl (i32.const 2) (local.get $shift))))
        (local.set $a2 (local.get $root))
        (local.set $row3 (i32.add (local.get $codes) (i32.shl (i32.const 3) (local.get $shift))))
        (local.set $a3 (local.get $root))
        (local.set $row4 (i32.add (local.get $codes) (i32.shl (i32.const 4) (local.get $shift))))
        (local.set $a4 (local.get $root))
        (local.set $row5 (i32.add (local.get $codes) (i32.shl (i32.const 5) (local.get $shift))))
        (local.set $a5 (local.get $root))
        (local.set $row6 (i32.add (local.get $codes) (i32.shl (i32.const 6) (local.get $shift))))
        (local.set $a6 (local.get $root))
        (local.set $row7 (i32.add (local.get $codes) (i32.shl (i32.const 7) (local.get $shift))))
        (local.set $a7 (local.get $root))
        (local.set $next (i32.add (local.get $codes) (i32.shl (i32.const 8) (local.get $shift))))
        (block $drain (loop $step
          (local.set $f (i32.load16_u (local.get $a0)))
          (if (i32.eq (local.get $f) (i32.const 0xffff))
            (then
              (local.set $at (i32.add (local.get $sums) (i32.shl (i32.shr_u (i32.sub (local.get $row0) (local.get $codes)) (local.get $shift)) (i32.const 3))))
              (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (f64.load (i32.load offset=4 (local.get $a0)))))
              (if (i32.ge_u (local.get $next) (local.get $end)) (then (local.set $done (i32.const 0)) (br $drain)))
              (local.set $row0 (local.get $next))
              (local.set $next (i32.add (local.get $next) (local.get $rowBytes)))
              (local.set $a0 (local.get $root)))
            (else
              (local.set $a0 (i32.add (local.get $a0)
                (select (i32.load offset=4 (local.get $a0)) (i32.const 8)
                  (i32.gt_u (i32.load16_u (i32.add (local.get $row0) (local.get $f))) (i32.load16_u offset=2 (local.get $a0))))))))
          (local.set $f (i32.load16_u (local.get $a1)))
          (if (i32.eq (local.get $f) (i32.const 0xffff))
            (then
              (local.set $at (i32.add (local.get $sums) (i32.shl (i32.shr_u (i32.sub (local.get $row1) (local.get $codes)) (local.get $shift)) (i32.const 3))))
              (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (f64.load (i32.load offset=4 (local.get $a1)))))
              (if (i32.ge_u (local.get $next) (local.get $end)) (then (local.set $done (i32.const 1)) (br $drain)))
              (local.set $row1 (local.get $next))
              (local.set $next (i32.add (local.get $next) (local.get $rowBytes)))
              (local.set $a1 (local.get $root)))
            (else
              (local.set $a1 (i32.add (local.get $a1)
                (select (i32.load offset=4 (local.get $a1)) (i32.const 8)
                  (i32.gt_u (i32.load16_u (i32.add (local.get $row1) (local.get $f))) (i32.load16_u offset=2 (local.get $a1))))))))
          (local.set $f (i32.load16_u (local.get $a2)))
          (if (i32.eq (local.get $f) (i32.const 0xffff))
            (then
              (local.set $at (i32.add (local.get $sums) (i32.shl (i32.shr_u (i32.sub (local.get $row2) (local.get $codes)) (local.get $shift)) (i32.const 3))))
              (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (f64.load (i32.load offset=4 (local.get $a2)))))
              (if (i32.ge_u (local.get $next) (local.get $end)) (then (local.set $done (i32.const 2)) (br $drain)))
              (local.set $row2 (local.get $next))
              (local.set $next (i32.add (local.get $next) (local.get $rowBytes)))
              (local.set $a2 (local.get $root)))
            (else
              (local.set $a2 (i32.add (local.get $a2)
                (select (i32.load offset=4 (local.get $a2)) (i32.const 8)
                  (i32.gt_u (i32.load16_u (i32.add (local.get $row2) (local.get $f))) (i32.load16_u offset=2 (local.get $a2))))))))
          (local.set $f (i32.load16_u (local.get $a3)))
          (if (i32.eq (local.get $f) (i32.const 0xffff))
            (then
              (local.set $at (i32.add (local.get $sums) (i32.shl (i32.shr_u (i32.sub (local.get $row3) (local.get $codes)) (local.get $shift)) (i32.const 3))))
              (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (f64.load (i32.load offset=4 (local.get $a3)))))
              (if (i32.ge_u (local.get $next) (local.get $end)) (then (local.set $done (i32.const 3)) (br $drain)))
              (local.set $row3 (local.get $next))
              (local.set $next (i32.add (local.get $next) (local.get $rowBytes)))
              (local.set $a3 (local.get $root)))
            (else
              (local.set $a3 (i32.add (local.get $a3)
                (select (i32.load offset=4 (local.get $a3)) (i32.const 8)
                  (i32.gt_u (i32.load16_u (i32.add (local.get $row3) (local.get $f))) (i32.load16_u offset=2 (local.get $a3))))))))
          (local.set $f (i32.load16_u (local.get $a4)))
          (if (i32.eq (local.get $f) (i32.const 0xffff))
            (then
              (local.set $at (i32.add (local.get $sums) (i32.shl (i32.shr_u (i32.sub (local.get $row4) (local.get $codes)) (local.get $shift)) (i32.const 3))))
              (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (f64.load (i32.load offset=4 (local.get $a4)))))
              (if (i32.ge_u (local.get $next) (local.get $end)) (then (local.set $done (i32.const 4)) (br $drain)))
              (local.set $row4 (local.get $next))
              (local.set $next (i32.add (local.get $next) (local.get $rowBytes)))
              (local.set $a4 (local.get $root)))
            (else
              (local.set $a4 (i32.add (local.get $a4)
                (select (i32.load offset=4 (local.get $a4)) (i32.const 8)
                  (i32.gt_u (i32.load16_u (i32.add (local.get $row4) (local.get $f))) (i32.load16_u offset=2 (local.get $a4))))))))
          (local.set $f (i32.load16_u (local.get $a5)))
          (if (i32.eq (local.get $f) (i32.const 0xffff))
            (then
              (local.set $at (i32.add (local.get $sums) (i32.shl (i32.shr_u (i32.sub (local.get $row5) (local.get $codes)) (local.get $shift)) (i32.const 3))))
              (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (f64.load (i32.load offset=4 (local.get $a5)))))
              (if (i32.ge_u (local.get $next) (local.get $end)) (then (local.set $done (i32.const 5)) (br $drain)))
              (local.set $row5 (local.get $next))
              (local.set $next (i32.add (local.get $next) (local.get $rowBytes)))
              (local.set $a5 (local.get $root)))
            (else
              (local.set $a5 (i32.add (local.get $a5)
                (select (i32.load offset=4 (local.get $a5)) (i32.const 8)
                  (i32.gt_u (i32.load16_u (i32.add (local.get $row5) (local.get $f))) (i32.load16_u offset=2 (local.get $a5))))))))
          (local.set $f (i32.load16_u (local.get $a6)))
          (if (i32.eq (local.get $f) (i32.const 0xffff))
            (then
              (local.set $at (i32.add (local.get $sums) (i32.shl (i32.shr_u (i32.sub (local.get $row6) (local.get $codes)) (local.get $shift)) (i32.const 3))))
              (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (f64.load (i32.load offset=4 (local.get $a6)))))
              (if (i32.ge_u (local.get $next) (local.get $end)) (then (local.set $done (i32.const 6)) (br $drain)))
              (local.set $row6 (local.get $next))
              (local.set $next (i32.add (local.get $next) (local.get $rowBytes)))
              (local.set $a6 (local.get $root)))
            (else
              (local.set $a6 (i32.add (local.get $a6)
                (select (i32.load offset=4 (local.get $a6)) (i32.const 8)
                  (i32.gt_u (i32.load16_u (i32.add (local.get $row6) (local.get $f))) (i32.load16_u offset=2 (local.get $a6))))))))
          (local.set $f (i32.load16_u (local.get $a7)))
          (if (i32.eq (local.get $f) (i32.const 0xffff))
            (then
              (local.set $at (i32.add (local.get $sums) (i32.shl (i32.shr_u (i32.sub (local.get $row7) (local.get $codes)) (local.get $shift)) (i32.const 3))))
              (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (f64.load (i32.load offset=4 (local.get $a7)))))
              (if (i32.ge_u (local.get $next) (local.get $end)) (then (local.set $done (i32.const 7)) (br $drain)))
              (local.set $row7 (local.get $next))
              (local.set $next (i32.add (local.get $next) (local.get $rowBytes)))
              (local.set $a7 (local.get $root)))
            (else
              (local.set $a7 (i32.add (local.get $a7)
                (select (i32.load offset=4 (local.get $a7)) (i32.const 8)
                  (i32.gt_u (i32.load16_u (i32.add (local.get $row7) (local.get $f))) (i32.load16_u offset=2 (local.get $a7))))))))
          (br $step)))
        (if (i32.ne (local.get $done) (i32.const 0))
          (then (call $addLeaf (i32.add (local.get $sums) (i32.shl (i32.shr_u (i32.sub (local.get $row0) (local.get $codes)) (local.get $shift)) (i32.const 3))) (call $leafOf (local.get $row0) (local.get $a0)))))
        (if (i32.ne (local.get $done) (i32.const 1))
          (then (call $addLeaf (i32.add (local.get $sums) (i32.shl (i32.shr_u (i32.sub (local.get $row1) (local.get $codes)) (local.get $shift)) (i32.const 3))) (call $leafOf (local.get $row1) (local.get $a1)))))
        (if (i32.ne (local.get $done) (i32.const 2))
          (then (call $addLeaf (i32.add (local.get $sums) (i32.shl (i32.shr_u (i32.sub (local.get $row2) (local.get $codes)) (local.get $shift)) (i32.const 3))) (call $leafOf (local.get $row2) (local.get $a2)))))
        (if (i32.ne (local.get $done) (i32.const 3))
          (then (call $addLeaf (i32.add (local.get $sums) (i32.shl (i32.shr_u (i32.sub (local.get $row3) (local.get $codes)) (local.get $shift)) (i32.const 3))) (call $leafOf (local.get $row3) (local.get $a3)))))
        (if (i32.ne (local.get $done) (i32.const 4))
          (then (call $addLeaf (i32.add (local.get $sums) (i32.shl (i32.shr_u (i32.sub (local.get $row4) (local.get $codes)) (local.get $shift)) (i32.const 3))) (call $leafOf (local.get $row4) (local.get $a4)))))
        (if (i32.ne (local.get $done) (i32.const 5))
          (then (call $addLeaf (i32.add (local.get $sums) (i32.shl (i32.shr_u (i32.sub (local.get $row5) (local.get $codes)) (local.get $shift)) (i32.const 3))) (call $leafOf (local.get $row5) (local.get $a5)))))
        (if (i32.ne (local.get $done) (i32.const 6))
          (then (call $addLeaf (i32.add (local.get $sums) (i32.shl (i32.shr_u (i32.sub (local.get $row6) (local.get $codes)) (local.get $shift)) (i32.const 3))) (call $leafOf (local.get $row6) (local.get $a6)))))
        (if (i32.ne (local.get $done) (i32.const 7))
          (then (call $addLeaf (i32.add (local.get $sums) (i32.shl (i32.shr_u (i32.sub (local.get $row7) (local.get $codes)) (local.get $shift)) (i32.const 3))) (call $leafOf (local.get $row7) (local.get $a7))))))
        (else
          (local.set $r (i32.const 0))
          (block $rest_done (loop $each_rest
            (br_if $rest_done (i32.ge_u (local.get $r) (local.get $rows)))
            (call $addLeaf (i32.add (local.get $sums) (i32.shl (local.get $r) (i32.const 3)))
              (call $leafOf (i32.add (local.get $codes) (i32.shl (local.get $r) (local.get $shift))) (local.get $root)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $each_rest)))))
      (local.set $t (i32.add (local.get $t) (i32.const 1)))
      (br $each_tree))))

  ;; The sum of every tree's leaf value, added in tree order, for the one row whose codes start at
  ;; $row: what a single prediction waits on. A lone row walks eight trees side by side (each step
  ;; waits for a node from memory, and eight walks wait for theirs at once), then adds their leaves'
  ;; values in order.
  (func (export "walkRow") (param $roots i32) (param $trees i32) (param $row i32) (result f64)
    (local $t i32) (local $sum f64) (local $f i32) (local $busy i32)
    (local $b0 i32) (local $b1 i32) (local $b2 i32) (local $b3 i32) (local $b4 i32) (local $b5 i32) (local $b6 i32) (local $b7 i32)
    (block $groups_done (loop $each_group
      (br_if $groups_done (i32.gt_u (i32.add (local.get $t) (i32.const 8)) (local.get $trees)))
      (local.set $b0 (i32.load (i32.add (local.get $roots) (i32.shl (i32.add (local.get $t) (i32.const 0)) (i32.const 2)))))
      (local.set $b1 (i32.load (i32.add (local.get $roots) (i32.shl (i32.add (local.get $t) (i32.const 1)) (i32.const 2)))))
      (local.set $b2 (i32.load (i32.add (local.get $roots) (i32.shl (i32.add (local.get $t) (i32.const 2)) (i32.const 2)))))
      (local.set $b3 (i32.load (i32.add (local.get $roots) (i32.shl (i32.add (local.get $t) (i32.const 3)) (i32.const 2)))))
      (local.set $b4 (i32.load (i32.add (local.get $roots) (i32.shl (i32.add (local.get $t) (i32.const 4)) (i32.const 2)))))
      (local.set $b5 (i32.load (i32.add (local.get $roots) (i32.shl (i32.add (local.get $t) (i32.const 5)) (i32.const 2)))))
      (local.set $b6 (i32.load (i32.add (local.get $roots) (i32.shl (i32.add (local.get $t) (i32.const 6)) (i32.const 2)))))
      (local.set $b7 (i32.load (i32.add (local.get $roots) (i32.shl (i32.add (local.get $t) (i32.const 7)) (i32.const 2)))))
      (loop $step
        (local.set $busy (i32.const 0))
        (local.set $f (i32.load16_u (local.get $b0)))
        (if (i32.ne (local.get $f) (i32.const 0xffff))
          (then
            (local.set $busy (i32.const 1))
            (local.set $b0 (i32.add (local.get $b0)
              (select (i32.load offset=4 (local.get $b0)) (i32.const 8)
                (i32.gt_u (i32.load16_u (i32.add (local.get $row) (local.get $f))) (i32.load16_u offset=2 (local.get $b0))))))))
        (local.set $f (i32.load16_u (local.get $b1)))
        (if (i32.ne (local.get $f) (i32.const 0xffff))
          (then
            (local.set $busy (i32.const 1))
            (local.set $b1 (i32.add (local.get $b1)
              (select (i32.load offset=4 (local.get $b1)) (i32.const 8)
                (i32.gt_u (i32.load16_u (i32.add (local.get $row) (local.get $f))) (i32.load16_u offset=2 (local.get $b1))))))))
        (local.set $f (i32.load16_u (local.get $b2)))
        (if (i32.ne (local.get $f) (i32.const 0xffff))
          (then
            (local.set $busy (i32.const 1))
            (local.set $b2 (i32.add (local.get $b2)
              (select (i32.load offset=4 (local.get $b2)) (i32.const 8)
                (i32.gt_u (i32.load16_u (i32.add (local.get $row) (local.get $f))) (i32.load16_u offset=2 (local.get $b2))))))))
        (local.set $f (i32.load16_u (local.get $b3)))
        (if (i32.ne (local.get $f) (i32.const 0xffff))
          (then
            (local.set $busy (i32.const 1))
            (local.set $b3 (i32.add (local.get $b3)
              (select (i32.load offset=4 (local.get $b3)) (i32.const 8)
                (i32.gt_u (i32.load16_u (i32.add (local.get $row) (local.get $f))) (i32.load16_u offset=2 (local.get $b3))))))))
        (local.set $f (i32.load16_u (local.get $b4)))
        (if (i32.ne (local.get $f) (i32.const 0xffff))
          (then
            (local.set $busy (i32.const 1))
            (local.set $b4 (i32.add (local.get $b4)
              (select (i32.load offset=4 (local.get $b4)) (i32.const 8)
                (i32.gt_u (i32.load16_u (i32.add (local.get $row) (local.get $f))) (i32.load16_u offset=2 (local.get $b4))))))))
        (local.set $f (i32.load16_u (local.get $b5)))
        (if (i32.ne (local.get $f) (i32.const 0xffff))
          (then
            (local.set $busy (i32.const 1))
            (local.set $b5 (i32.add (local.get $b5)
              (select (i32.load offset=4 (local.get $b5)) (i32.const 8)
                (i32.gt_u (i32.load16_u (i32.add (local.get $row) (local.get $f))) (i32.load16_u offset=2 (local.get $b5))))))))
        (local.set $f (i32.load16_u (local.get $b6)))
        (if (i32.ne (local.get $f) (i32.const 0xffff))
          (then
            (local.set $busy (i32.const 1))
            (local.set $b6 (i32.add (local.get $b6)
              (select (i32.load offset=4 (local.get $b6)) (i32.const 8)
                (i32.gt_u (i32.load16_u (i32.add (local.get $row) (local.get $f))) (i32.load16_u offset=2 (local.get $b6))))))))
        (local.set $f (i32.load16_u (local.get $b7)))
        (if (i32.ne (local.get $f) (i32.const 0xffff))
          (then
            (local.set $busy (i32.const 1))
            (local.set $b7 (i32.add (local.get $b7)
              (select (i32.load offset=4 (local.get $b7)) (i32.const 8)
                (i32.gt_u (i32.load16_u (i32.add (local.get $row) (local.get $f))) (i32.load16_u offset=2 (local.get $b7))))))))
        (br_if $step (local.get $busy)))
      (local.set $sum (f64.add (local.get $sum) (f64.load (i32.load offset=4 (local.get $b0)))))
      (local.set $sum (f64.add (local.get $sum) (f64.load (i32.load offset=4 (local.get $b1)))))
      (local.set $sum (f64.add (local.get $sum) (f64.load (i32.load offset=4 (local.get $b2)))))
      (local.set $sum (f64.add (local.get $sum) (f64.load (i32.load offset=4 (local.get $b3)))))
      (local.set $sum (f64.add (local.get $sum) (f64.load (i32.load offset=4 (local.get $b4)))))
      (local.set $sum (f64.add (local.get $sum) (f64.load (i32.load offset=4 (local.get $b5)))))
      (local.set $sum (f64.add (local.get $sum) (f64.load (i32.load offset=4 (local.get $b6)))))
      (local.set $sum (f64.add (local.get $sum) (f64.load (i32.load offset=4 (local.get $b7)))))
      (local.set $t (i32.add (local.get $t) (i32.const 8)))
      (br $each_group)))
    (block $rest_done (loop $each_rest
      (br_if $rest_done (i32.ge_u (local.get $t) (local.get $trees)))
      (local.set $sum (f64.add (local.get $sum) (f64.load (i32.load offset=4
        (call $leafOf (local.get $row) (i32.load (i32.add (local.get $roots) (i32.shl (local.get $t) (i32.const 2)))))))))
      (local.set $t (i32.add (local.get $t) (i32.const 1)))
      (br $each_rest)))
    (local.get $sum))
)
