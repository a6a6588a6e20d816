;; The boosted trees' loops over rows and bins (see gbt.ts, TreeGrower): a node's histogram of (Σg, Σh,
;; n) per bin of every feature, the stable partition of a node's rows by a split (with each side's Σg
;; and Σh), the larger child's histogram as its parent's minus the smaller's, and the best split of a
;; histogram. Memory, laid out by grow-kernels.ts: the rows' bins (u8, row-major: row i, feature f at
;; i * features + f), the node row lists (i32), the gradients and hessians (f64), each feature's first
;; histogram slot (i32), a scratch of 32 bytes and the histograms (f64, three per bin). Every sum adds
;; in the order the JavaScript loops add, and every comparison is theirs: the same trees bit for bit.
(module
  (memory (export "memory") 1)

  ;; hist[offsets[f] + 3·bin + (0, 1, 2)] += (g, h, 1) for every feature f of rows[start … end).
  (func (export "histogram") (param $bins i32) (param $rows i32) (param $start i32) (param $end i32)
      (param $g i32) (param $h i32) (param $offsets i32) (param $features i32) (param $hist i32)
    (local $k i32) (local $row i32) (local $gk f64) (local $hk f64) (local $base i32) (local $f i32) (local $at i32)
    (local.set $k (local.get $start))
    (block $rows_done (loop $each_row
      (br_if $rows_done (i32.ge_u (local.get $k) (local.get $end)))
      (local.set $row (i32.load (i32.add (local.get $rows) (i32.shl (local.get $k) (i32.const 2)))))
      (local.set $gk (f64.load (i32.add (local.get $g) (i32.shl (local.get $row) (i32.const 3)))))
      (local.set $hk (f64.load (i32.add (local.get $h) (i32.shl (local.get $row) (i32.const 3)))))
      (local.set $base (i32.add (local.get $bins) (i32.mul (local.get $row) (local.get $features))))
      (local.set $f (i32.const 0))
      (block $features_done (loop $each_feature
        (br_if $features_done (i32.ge_u (local.get $f) (local.get $features)))
        ;; The slot's byte address: hist + 8 · (offsets[f] + 3 · bin).
        (local.set $at (i32.add (local.get $hist) (i32.shl
          (i32.add (i32.load (i32.add (local.get $offsets) (i32.shl (local.get $f) (i32.const 2))))
                   (i32.mul (i32.load8_u (i32.add (local.get $base) (local.get $f))) (i32.const 3)))
          (i32.const 3))))
        (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (local.get $gk)))
        (f64.store offset=8 (local.get $at) (f64.add (f64.load offset=8 (local.get $at)) (local.get $hk)))
        (f64.store offset=16 (local.get $at) (f64.add (f64.load offset=16 (local.get $at)) (f64.const 1)))
        (local.set $f (i32.add (local.get $f) (i32.const 1)))
        (br $each_feature)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $each_row)))
  )

;; Rows[start … end) reordered, stably, into those whose bin of $feature is ≤ $split, then the others
  ;; (through $tmp); returns where the others start. Also writes, at $out, Σg and Σh of each side (left
  ;; then right), each added in its rows' new order — as a loop over the partitioned rows would add them.
  (func (export "partition") (param $bins i32) (param $rows i32) (param $tmp i32) (param $start i32) (param $end i32)
      (param $feature i32) (param $features i32) (param $split i32) (param $g i32) (param $h i32) (param $out i32) (result i32)
    (local $k i32) (local $row i32) (local $i i32) (local $moved i32)
    (local $gl f64) (local $hl f64) (local $gr f64) (local $hr f64)
    (local.set $i (local.get $start))
    (local.set $k (local.get $start))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $k) (local.get $end)))
      (local.set $row (i32.load (i32.add (local.get $rows) (i32.shl (local.get $k) (i32.const 2)))))
      (if (i32.le_u (i32.load8_u (i32.add (local.get $bins) (i32.add (i32.mul (local.get $row) (local.get $features)) (local.get $feature))))
                    (local.get $split))
        (then
          (i32.store (i32.add (local.get $rows) (i32.shl (local.get $i) (i32.const 2))) (local.get $row))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (local.set $gl (f64.add (local.get $gl) (f64.load (i32.add (local.get $g) (i32.shl (local.get $row) (i32.const 3))))))
          (local.set $hl (f64.add (local.get $hl) (f64.load (i32.add (local.get $h) (i32.shl (local.get $row) (i32.const 3)))))))
        (else
          (i32.store (i32.add (local.get $tmp) (i32.shl (local.get $moved) (i32.const 2))) (local.get $row))
          (local.set $moved (i32.add (local.get $moved) (i32.const 1)))
          (local.set $gr (f64.add (local.get $gr) (f64.load (i32.add (local.get $g) (i32.shl (local.get $row) (i32.const 3))))))
          (local.set $hr (f64.add (local.get $hr) (f64.load (i32.add (local.get $h) (i32.shl (local.get $row) (i32.const 3))))))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $each)))
    ;; The others after them, in their order.
    (memory.copy (i32.add (local.get $rows) (i32.shl (local.get $i) (i32.const 2))) (local.get $tmp) (i32.shl (local.get $moved) (i32.const 2)))
    (f64.store (local.get $out) (local.get $gl))
    (f64.store offset=8 (local.get $out) (local.get $hl))
    (f64.store offset=16 (local.get $out) (local.get $gr))
    (f64.store offset=24 (local.get $out) (local.get $hr))
    (local.get $i))

  ;; large[k] -= small[k] for k < $width: the larger child's histogram, from its parent's.
  (func (export "subtract") (param $large i32) (param $small i32) (param $width i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $large) (i32.shl (local.get $width) (i32.const 3))))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $large) (local.get $end)))
      (f64.store (local.get $large) (f64.sub (f64.load (local.get $large)) (f64.load (local.get $small))))
      (local.set $large (i32.add (local.get $large) (i32.const 8)))
      (local.set $small (i32.add (local.get $small) (i32.const 8)))
      (br $each)))
  )

  ;; The split of largest gain GL²/(HL+λ) + GR²/(HR+λ) − parent above 1e-12 over every feature's bins
  ;; (feature f's bins are (offsets[f+1] − offsets[f]) / 3), each side holding ≥ $minLeaf rows and a
  ;; hessian ≥ $minHessian; the first of equal gains wins. Writes its gain at $out and its feature
  ;; and bin after it; returns 0 when no split qualifies. The same steps as TreeGrower.bestSplit.
  (func (export "bestSplit") (param $hist i32) (param $offsets i32) (param $features i32) (param $count f64) (param $minLeaf f64)
      (param $G f64) (param $H f64) (param $lambda f64) (param $parent f64) (param $minHessian f64) (param $out i32) (result i32)
    (local $f i32) (local $o i32) (local $last i32) (local $b i32) (local $at i32)
    (local $gl f64) (local $hl f64) (local $cl f64) (local $gr f64) (local $hr f64) (local $gain f64)
    (local $found i32) (local $bestGain f64) (local $bestFeature i32) (local $bestBin i32)
    (block $features_done (loop $each_feature
      (br_if $features_done (i32.ge_u (local.get $f) (local.get $features)))
      (local.set $o (i32.load (i32.add (local.get $offsets) (i32.shl (local.get $f) (i32.const 2)))))
      ;; Bins but the last: a split leaves at least one bin on the right.
      (local.set $last (i32.sub (i32.div_u (i32.sub (i32.load offset=4 (i32.add (local.get $offsets) (i32.shl (local.get $f) (i32.const 2))))
                                                     (local.get $o)) (i32.const 3)) (i32.const 1)))
      (local.set $gl (f64.const 0))
      (local.set $hl (f64.const 0))
      (local.set $cl (f64.const 0))
      (local.set $b (i32.const 0))
      (block $bins_done (loop $each_bin
        (br_if $bins_done (i32.ge_s (local.get $b) (local.get $last)))
        (local.set $at (i32.add (local.get $hist) (i32.shl (i32.add (local.get $o) (i32.mul (local.get $b) (i32.const 3))) (i32.const 3))))
        (local.set $gl (f64.add (local.get $gl) (f64.load (local.get $at))))
        (local.set $hl (f64.add (local.get $hl) (f64.load offset=8 (local.get $at))))
        (local.set $cl (f64.add (local.get $cl) (f64.load offset=16 (local.get $at))))
        (block $next
          (br_if $next (f64.lt (local.get $cl) (local.get $minLeaf)))
          (br_if $bins_done (f64.lt (f64.sub (local.get $count) (local.get $cl)) (local.get $minLeaf)))
          (local.set $hr (f64.sub (local.get $H) (local.get $hl)))
          (br_if $next (f64.lt (local.get $hl) (local.get $minHessian)))
          (br_if $next (f64.lt (local.get $hr) (local.get $minHessian)))
          (local.set $gr (f64.sub (local.get $G) (local.get $gl)))
          (local.set $gain (f64.sub
            (f64.add (f64.div (f64.mul (local.get $gl) (local.get $gl)) (f64.add (local.get $hl) (local.get $lambda)))
                     (f64.div (f64.mul (local.get $gr) (local.get $gr)) (f64.add (local.get $hr) (local.get $lambda))))
            (local.get $parent)))
          (br_if $next (i32.eqz (f64.gt (local.get $gain) (f64.const 1e-12))))
          (br_if $next (i32.and (local.get $found) (i32.eqz (f64.gt (local.get $gain) (local.get $bestGain)))))
          (local.set $found (i32.const 1))
          (local.set $bestGain (local.get $gain))
          (local.set $bestFeature (local.get $f))
          (local.set $bestBin (local.get $b)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $each_bin)))
      (local.set $f (i32.add (local.get $f) (i32.const 1)))
      (br $each_feature)))
    (f64.store (local.get $out) (local.get $bestGain))
    (i32.store offset=8 (local.get $out) (local.get $bestFeature))
    (i32.store offset=12 (local.get $out) (local.get $bestBin))
    (local.get $found))
)
