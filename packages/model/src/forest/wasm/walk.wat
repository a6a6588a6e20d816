;; The batch scorer's tree walk (see batch.ts, predictPackedRows), for rows whose codes are in memory.
;;
;; Memory, laid out by walker.ts: the forest's packed nodes (i32 words: a split is 0 | feature | code |
;; right-child offset from the high bits down, a leaf is ~index into the values), its leaf values (f64),
;; its roots (i32), a block's codes (u16, row-major: row r, feature f at r * features + f) and the block's
;; sums (f64, one per row). Linear memory is bounds-checked by the engine (guard pages): what JavaScript
;; pays as a check on every typed-array access, and the reason this walk is quicker than the same steps
;; in JavaScript (Adult's forest: 20,000 rows 88 ms against 120 ms on one thread).
;;
;; For each tree in order, four rows walk it side by side (four loads awaited at once), each step
;; choosing the child without a branch: left is the next node, right is `offset` further; the rows left
;; over walk one at a time. Each row's leaf value is added to its sum in tree order, as the JavaScript
;; walk adds it: the same sums bit for bit. Right children too far for the offset field (PackedForest.far)
;; are not handled here: walker.ts sends such forests to the JavaScript walk.
(module
  (memory (export "memory") 1)

  ;; sums[r] += values[~leaf]
  (func $addLeaf (param $sums i32) (param $values i32) (param $r i32) (param $leaf i32)
    (local $at i32)
    (local.set $at (i32.add (local.get $sums) (i32.shl (local.get $r) (i32.const 3))))
    (f64.store (local.get $at)
      (f64.add (f64.load (local.get $at))
               (f64.load (i32.add (local.get $values) (i32.shl (i32.xor (local.get $leaf) (i32.const -1)) (i32.const 3)))))))

  ;; The leaf word of the row whose codes start at $row, in the tree whose root is $root.
  (func $leafOf (param $nodes i32) (param $row i32) (param $root i32)
      (param $offMask i32) (param $featShift i32) (param $codeShift i32) (param $codeMask i32) (result i32)
    (local $i i32) (local $w i32)
    (local.set $i (local.get $root))
    (local.set $w (i32.load (i32.add (local.get $nodes) (i32.shl (local.get $i) (i32.const 2)))))
    (block $leaf (loop $step
      (br_if $leaf (i32.lt_s (local.get $w) (i32.const 0)))
      (local.set $i (i32.add (i32.add (local.get $i) (i32.const 1))
        (i32.and (i32.sub (i32.and (local.get $w) (local.get $offMask)) (i32.const 1))
          (i32.shr_s (i32.sub (i32.and (i32.shr_u (local.get $w) (local.get $codeShift)) (local.get $codeMask))
                              (i32.load16_u (i32.add (local.get $row) (i32.shl (i32.shr_u (local.get $w) (local.get $featShift)) (i32.const 1)))))
                     (i32.const 31)))))
      (local.set $w (i32.load (i32.add (local.get $nodes) (i32.shl (local.get $i) (i32.const 2)))))
      (br $step)))
    (local.get $w))

  ;; Adds every tree's leaf value to sums[r] for the block's rows r in [0, rows).
  (func (export "walk") (param $nodes i32) (param $values i32) (param $roots i32) (param $trees i32)
      (param $codes i32) (param $sums i32) (param $features i32) (param $rows i32)
      (param $offMask i32) (param $featShift i32) (param $codeShift i32) (param $codeMask i32)
    (local $t i32) (local $root i32) (local $rootWord i32) (local $r i32) (local $at i32)
    (local $i0 i32) (local $w0 i32) (local $row0 i32)
    (local $i1 i32) (local $w1 i32) (local $row1 i32)
    (local $i2 i32) (local $w2 i32) (local $row2 i32)
    (local $i3 i32) (local $w3 i32) (local $row3 i32)
    (block $trees_done (loop $each_tree
      (br_if $trees_done (i32.ge_u (local.get $t) (local.get $trees)))
      (local.set $root (i32.load (i32.add (local.get $roots) (i32.shl (local.get $t) (i32.const 2)))))
      (local.set $rootWord (i32.load (i32.add (local.get $nodes) (i32.shl (local.get $root) (i32.const 2)))))
      (local.set $r (i32.const 0))
      (block $fours_done (loop $each_four
      (br_if $fours_done (i32.gt_u (i32.add (local.get $r) (i32.const 4)) (local.get $rows)))
      (local.set $row0 (i32.add (local.get $codes) (i32.shl (i32.mul (i32.add (local.get $r) (i32.const 0)) (local.get $features)) (i32.const 1))))
      (local.set $i0 (local.get $root))
      (local.set $w0 (local.get $rootWord))
      (local.set $row1 (i32.add (local.get $codes) (i32.shl (i32.mul (i32.add (local.get $r) (i32.const 1)) (local.get $features)) (i32.const 1))))
      (local.set $i1 (local.get $root))
      (local.set $w1 (local.get $rootWord))
      (local.set $row2 (i32.add (local.get $codes) (i32.shl (i32.mul (i32.add (local.get $r) (i32.const 2)) (local.get $features)) (i32.const 1))))
      (local.set $i2 (local.get $root))
      (local.set $w2 (local.get $rootWord))
      (local.set $row3 (i32.add (local.get $codes) (i32.shl (i32.mul (i32.add (local.get $r) (i32.const 3)) (local.get $features)) (i32.const 1))))
      (local.set $i3 (local.get $root))
      (local.set $w3 (local.get $rootWord))
      ;; Leaf words are negative: the AND is negative once all four walks have reached theirs.
      (block $all_leaves (loop $step
        (br_if $all_leaves (i32.lt_s (i32.and (i32.and (i32.and (local.get $w0) (local.get $w1)) (local.get $w2)) (local.get $w3)) (i32.const 0)))
        (if (i32.ge_s (local.get $w0) (i32.const 0)) (then
          (local.set $i0 (i32.add (i32.add (local.get $i0) (i32.const 1))
            (i32.and (i32.sub (i32.and (local.get $w0) (local.get $offMask)) (i32.const 1))
              (i32.shr_s (i32.sub (i32.and (i32.shr_u (local.get $w0) (local.get $codeShift)) (local.get $codeMask))
                                  (i32.load16_u (i32.add (local.get $row0) (i32.shl (i32.shr_u (local.get $w0) (local.get $featShift)) (i32.const 1)))))
                         (i32.const 31)))))
          (local.set $w0 (i32.load (i32.add (local.get $nodes) (i32.shl (local.get $i0) (i32.const 2)))))))
        (if (i32.ge_s (local.get $w1) (i32.const 0)) (then
          (local.set $i1 (i32.add (i32.add (local.get $i1) (i32.const 1))
            (i32.and (i32.sub (i32.and (local.get $w1) (local.get $offMask)) (i32.const 1))
              (i32.shr_s (i32.sub (i32.and (i32.shr_u (local.get $w1) (local.get $codeShift)) (local.get $codeMask))
                                  (i32.load16_u (i32.add (local.get $row1) (i32.shl (i32.shr_u (local.get $w1) (local.get $featShift)) (i32.const 1)))))
                         (i32.const 31)))))
          (local.set $w1 (i32.load (i32.add (local.get $nodes) (i32.shl (local.get $i1) (i32.const 2)))))))
        (if (i32.ge_s (local.get $w2) (i32.const 0)) (then
          (local.set $i2 (i32.add (i32.add (local.get $i2) (i32.const 1))
            (i32.and (i32.sub (i32.and (local.get $w2) (local.get $offMask)) (i32.const 1))
              (i32.shr_s (i32.sub (i32.and (i32.shr_u (local.get $w2) (local.get $codeShift)) (local.get $codeMask))
                                  (i32.load16_u (i32.add (local.get $row2) (i32.shl (i32.shr_u (local.get $w2) (local.get $featShift)) (i32.const 1)))))
                         (i32.const 31)))))
          (local.set $w2 (i32.load (i32.add (local.get $nodes) (i32.shl (local.get $i2) (i32.const 2)))))))
        (if (i32.ge_s (local.get $w3) (i32.const 0)) (then
          (local.set $i3 (i32.add (i32.add (local.get $i3) (i32.const 1))
            (i32.and (i32.sub (i32.and (local.get $w3) (local.get $offMask)) (i32.const 1))
              (i32.shr_s (i32.sub (i32.and (i32.shr_u (local.get $w3) (local.get $codeShift)) (local.get $codeMask))
                                  (i32.load16_u (i32.add (local.get $row3) (i32.shl (i32.shr_u (local.get $w3) (local.get $featShift)) (i32.const 1)))))
                         (i32.const 31)))))
          (local.set $w3 (i32.load (i32.add (local.get $nodes) (i32.shl (local.get $i3) (i32.const 2)))))))
        (br $step)))
      (local.set $at (i32.add (local.get $sums) (i32.shl (i32.add (local.get $r) (i32.const 0)) (i32.const 3))))
      (f64.store (local.get $at) (f64.add (f64.load (local.get $at))
        (f64.load (i32.add (local.get $values) (i32.shl (i32.xor (local.get $w0) (i32.const -1)) (i32.const 3))))))
      (local.set $at (i32.add (local.get $sums) (i32.shl (i32.add (local.get $r) (i32.const 1)) (i32.const 3))))
      (f64.store (local.get $at) (f64.add (f64.load (local.get $at))
        (f64.load (i32.add (local.get $values) (i32.shl (i32.xor (local.get $w1) (i32.const -1)) (i32.const 3))))))
      (local.set $at (i32.add (local.get $sums) (i32.shl (i32.add (local.get $r) (i32.const 2)) (i32.const 3))))
      (f64.store (local.get $at) (f64.add (f64.load (local.get $at))
        (f64.load (i32.add (local.get $values) (i32.shl (i32.xor (local.get $w2) (i32.const -1)) (i32.const 3))))))
      (local.set $at (i32.add (local.get $sums) (i32.shl (i32.add (local.get $r) (i32.const 3)) (i32.const 3))))
      (f64.store (local.get $at) (f64.add (f64.load (local.get $at))
        (f64.load (i32.add (local.get $values) (i32.shl (i32.xor (local.get $w3) (i32.const -1)) (i32.const 3))))))
      (local.set $r (i32.add (local.get $r) (i32.const 4)))
      (br $each_four)))
      (block $rest_done (loop $each_rest
        (br_if $rest_done (i32.ge_u (local.get $r) (local.get $rows)))
        (call $addLeaf (local.get $sums) (local.get $values) (local.get $r)
          (call $leafOf (local.get $nodes)
            (i32.add (local.get $codes) (i32.shl (i32.mul (local.get $r) (local.get $features)) (i32.const 1)))
            (local.get $root) (local.get $offMask) (local.get $featShift) (local.get $codeShift) (local.get $codeMask)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $each_rest)))
      (local.set $t (i32.add (local.get $t) (i32.const 1)))
      (br $each_tree))))
)
