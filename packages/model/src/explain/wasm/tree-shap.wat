;; TreeSHAP's walk (see tree-shap.ts, `walk`) over a block of rows, with the quadrature points two at a time
;; (f64x2): the JavaScript walk's steps, except that the multipliers a node applies to every row (1/(z0 + s0·t),
;; w/(z1 + s1·t)) are made once per node, and each row's sums over the points add the even and the odd points
;; apart, then together — last bits may differ from the JavaScript walk's, never between runs, nor between a row
;; walked alone and in a block. Why WebAssembly: the walk does ~4K multiplications per node and row; here they
;; run two at a time, without the bounds check JavaScript pays on every typed-array access, and each node's
;; constants sit in one 64-byte record read in the walk's order (Adult's forest: a block of 16 rows 1.6×
;; quicker a row than the JavaScript walk).
;;
;; Memory, laid out by kernel.ts (every region 16-byte aligned, addresses in bytes):
;;   $splits: a record per split node, numbered in preorder (a split's left child, if a split, is the next):
;;     +0 i32 packed word (feature, threshold code), +4 player (24 bits) | flags << 24 (FIRST 1, RESPLIT 2,
;;     LEFT_LEAF 4, RIGHT_LEAF 8), +8 the right child's number (if a split), +16 f64 z0 (the player's z before
;;     the split), +24 / +32 the left / right child's z, +40 / +48 the left / right child's leaf value (0 if a split);
;;   the quadrature: $t, $w, $u = 1/(1 - t), $wu = w/(1 - t) (f64 × Kp; Kp = K rounded up to even,
;;     the padding point has w = 0 so it adds nothing);
;;   the walk's scratch: $buf ((depth + 2) levels × 4 slots × BLOCK rows × Kp), $goes (i32, level × BLOCK),
;;     $oAt (f64, level × BLOCK), $exc (f64, player × BLOCK × Kp), $o (f64, player × BLOCK), and a scratch
;;     region (setup);
;;   the block: $codes (i32, row × columns + feature), $phi (f64, row × players + player).
(module
  (memory (export "memory") 1)
  (global $splits (mut i32) (i32.const 0))
  (global $t (mut i32) (i32.const 0))
  (global $w (mut i32) (i32.const 0))
  (global $u (mut i32) (i32.const 0))
  (global $wu (mut i32) (i32.const 0))
  (global $buf (mut i32) (i32.const 0))
  (global $goes (mut i32) (i32.const 0))
  (global $oAt (mut i32) (i32.const 0))
  (global $exc (mut i32) (i32.const 0))
  (global $o (mut i32) (i32.const 0))
  (global $codes (mut i32) (i32.const 0))
  (global $phi (mut i32) (i32.const 0))
  ;; Bytes of one row's Kp values, of one slot (BLOCK rows), of one level (4 slots).
  (global $Kp8 (mut i32) (i32.const 0))
  (global $KB8 (mut i32) (i32.const 0))
  (global $stride8 (mut i32) (i32.const 0))
  (global $BLOCK (mut i32) (i32.const 0))
  (global $columns (mut i32) (i32.const 0))
  (global $players (mut i32) (i32.const 0))
  (global $featShift (mut i32) (i32.const 0))
  (global $codeShift (mut i32) (i32.const 0))
  (global $codeMask (mut i32) (i32.const 0))
  ;; Rows in the current block.
  (global $B (mut i32) (i32.const 0))
  ;; Scratch (see setup): per-node multipliers, ones, -wu, zeros, a sink for writes nobody reads.
  (global $mOn (mut i32) (i32.const 0))
  (global $mOff (mut i32) (i32.const 0))
  (global $hotCoef (mut i32) (i32.const 0))
  (global $ones (mut i32) (i32.const 0))
  (global $negwu (mut i32) (i32.const 0))
  (global $zeros (mut i32) (i32.const 0))
  (global $sink (mut i32) (i32.const 0))

  (func (export "setup")
      (param $splits i32)
      (param $t i32) (param $w i32) (param $u i32) (param $wu i32)
      (param $buf i32) (param $goes i32) (param $oAt i32) (param $exc i32) (param $o i32) (param $codes i32) (param $phi i32)
      (param $Kp i32) (param $BLOCK i32) (param $columns i32) (param $players i32)
      (param $featShift i32) (param $codeShift i32) (param $codeMask i32) (param $scratch i32)
    (local $k i32)
    (global.set $splits (local.get $splits))
    (global.set $t (local.get $t)) (global.set $w (local.get $w)) (global.set $u (local.get $u)) (global.set $wu (local.get $wu))
    (global.set $buf (local.get $buf)) (global.set $goes (local.get $goes)) (global.set $oAt (local.get $oAt))
    (global.set $exc (local.get $exc)) (global.set $o (local.get $o)) (global.set $codes (local.get $codes)) (global.set $phi (local.get $phi))
    (global.set $Kp8 (i32.shl (local.get $Kp) (i32.const 3)))
    (global.set $KB8 (i32.mul (global.get $Kp8) (local.get $BLOCK)))
    (global.set $stride8 (i32.shl (global.get $KB8) (i32.const 2)))
    (global.set $BLOCK (local.get $BLOCK)) (global.set $columns (local.get $columns)) (global.set $players (local.get $players))
    (global.set $featShift (local.get $featShift)) (global.set $codeShift (local.get $codeShift)) (global.set $codeMask (local.get $codeMask))
    ;; The scratch region (zeroed memory): five vectors of Kp values, then a slot of zeros and two sink slots.
    (global.set $mOn (local.get $scratch))
    (global.set $mOff (i32.add (global.get $mOn) (global.get $Kp8)))
    (global.set $hotCoef (i32.add (global.get $mOff) (global.get $Kp8)))
    (global.set $ones (i32.add (global.get $hotCoef) (global.get $Kp8)))
    (global.set $negwu (i32.add (global.get $ones) (global.get $Kp8)))
    (global.set $zeros (i32.add (global.get $negwu) (global.get $Kp8)))
    (global.set $sink (i32.add (global.get $zeros) (global.get $KB8)))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $k) (global.get $Kp8)))
      (v128.store (i32.add (global.get $ones) (local.get $k)) (v128.const f64x2 1 1))
      (v128.store (i32.add (global.get $negwu) (local.get $k)) (f64x2.neg (v128.load (i32.add (global.get $wu) (local.get $k)))))
      (local.set $k (i32.add (local.get $k) (i32.const 16)))
      (br $each))))


  ;; Explains the block's first $rows rows in the tree whose root (a split) is $root: its terms added to phi.
  (func (export "tree") (param $root i32) (param $rows i32)
    (local $i i32) (local $end i32)
    (global.set $B (local.get $rows))
    ;; Level 0's Q is 1 for every row and point.
    (local.set $end (i32.add (global.get $buf) (i32.mul (local.get $rows) (global.get $Kp8))))
    (local.set $i (global.get $buf))
    (block $done (loop $fill
      (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
      (v128.store (local.get $i) (v128.const f64x2 1 1))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $fill)))
    (call $walk (local.get $root) (i32.const 0) (global.get $buf)))

  ;; The node's S into its level's slot 1 and its players' terms into phi (tree-shap.ts says how); $qa: the node's Q.
  ;; The loops over the points have no branch: what differs between rows (whether the row met g's earlier
  ;; splits, whether it goes to a child) picks the address of a vector of multipliers made once per node.
  (func $walk (param $node i32) (param $level i32) (param $qa i32)
    (local $rec i32) (local $word i32) (local $g i32) (local $feature i32) (local $cut i32) (local $flag i32)
    (local $la i32) (local $sa i32) (local $ka i32) (local $qr i32) (local $ql i32) (local $csa i32)
    (local $ga i32) (local $og i32) (local $lg i32) (local $lo i32) (local $wl i32) (local $wr i32) (local $ea i32)
    (local $again i32) (local $first i32) (local $left i32) (local $rc i32)
    (local $n8 i32) (local $b i32) (local $k i32) (local $i i32) (local $row i32) (local $m i32) (local $toLeft i32)
    (local $side i32) (local $child i32) (local $want i32) (local $hot i32) (local $at i32) (local $coef i32)
    (local $z0 f64) (local $s0 f64) (local $inverse f64) (local $zl f64) (local $zr f64) (local $vl f64) (local $vr f64)
    (local $o0 f64) (local $sl f64) (local $sr f64) (local $a f64) (local $c f64) (local $z1 f64) (local $s1 f64) (local $s f64)
    (local $tv v128) (local $rk v128) (local $rho v128) (local $sc v128) (local $vs v128)
    (local $va v128) (local $vc v128) (local $vzl v128) (local $vsl v128) (local $vzr v128) (local $vsr v128)
    (local.set $rec (i32.add (global.get $splits) (i32.shl (local.get $node) (i32.const 6))))
    (local.set $word (i32.load (local.get $rec)))
    (local.set $g (i32.and (i32.load offset=4 (local.get $rec)) (i32.const 0xffffff)))
    (local.set $flag (i32.load8_u offset=7 (local.get $rec)))
    (local.set $feature (i32.shr_u (local.get $word) (global.get $featShift)))
    (local.set $cut (i32.and (i32.shr_u (local.get $word) (global.get $codeShift)) (global.get $codeMask)))
    (local.set $z0 (f64.load offset=16 (local.get $rec)))
    (local.set $la (i32.add (global.get $buf) (i32.mul (local.get $level) (global.get $stride8))))
    (local.set $sa (i32.add (local.get $la) (global.get $KB8)))
    (local.set $ka (i32.add (local.get $sa) (global.get $KB8)))
    (local.set $qr (i32.add (local.get $ka) (global.get $KB8)))
    (local.set $ql (i32.add (local.get $la) (global.get $stride8)))
    (local.set $csa (i32.add (local.get $ql) (global.get $KB8)))
    (local.set $ga (i32.add (global.get $exc) (i32.mul (local.get $g) (global.get $KB8))))
    (local.set $og (i32.add (global.get $o) (i32.shl (i32.mul (local.get $g) (global.get $BLOCK)) (i32.const 3))))
    (local.set $lg (i32.add (global.get $goes) (i32.shl (i32.mul (local.get $level) (global.get $BLOCK)) (i32.const 2))))
    (local.set $lo (i32.add (global.get $oAt) (i32.shl (i32.mul (local.get $level) (global.get $BLOCK)) (i32.const 3))))
    (local.set $again (i32.and (local.get $flag) (i32.const 2)))
    (local.set $first (i32.and (local.get $flag) (i32.const 1)))
    ;; Where the children's Q go: nowhere read when both are leaves.
    (local.set $wl (select (global.get $sink) (local.get $ql) (i32.eq (i32.and (local.get $flag) (i32.const 12)) (i32.const 12))))
    (local.set $wr (select (i32.add (global.get $sink) (global.get $KB8)) (local.get $qr) (i32.eq (i32.and (local.get $flag) (i32.const 12)) (i32.const 12))))
    ;; The part of a child's S below later splits on g: none unless g is split again below.
    (local.set $ea (select (local.get $ga) (global.get $zeros) (local.get $again)))
    ;; The children, as splits (numbered in preorder: the left one is next), their z after the edge and their leaf values.
    (local.set $left (i32.add (local.get $node) (i32.const 1)))
    (local.set $rc (i32.load offset=8 (local.get $rec)))
    (local.set $zl (f64.load offset=24 (local.get $rec)))
    (local.set $zr (f64.load offset=32 (local.get $rec)))
    ;; A split's leaf value is 0: a child that is not a leaf adds nothing here.
    (local.set $vl (f64.load offset=40 (local.get $rec)))
    (local.set $vr (f64.load offset=48 (local.get $rec)))
    (local.set $n8 (i32.mul (global.get $B) (global.get $Kp8)))
    (local.set $vzl (f64x2.splat (local.get $zl)))
    (local.set $vzr (f64x2.splat (local.get $zr)))
    ;; R = Q × m: m = 1 at g's first split; 1/(z0 + s0·t) for a row that met g's earlier splits; u/z0 for one that failed one.
    (if (i32.eqz (local.get $first)) (then
      (local.set $s0 (f64.sub (f64.const 1) (local.get $z0)))
      (local.set $inverse (f64.div (f64.const 1) (local.get $z0)))
      (local.set $k (i32.const 0))
      (block $m_done (loop $each_m
        (br_if $m_done (i32.ge_u (local.get $k) (global.get $Kp8)))
        (v128.store (i32.add (global.get $mOn) (local.get $k))
          (f64x2.div (v128.const f64x2 1 1)
            (f64x2.add (f64x2.splat (local.get $z0)) (f64x2.mul (f64x2.splat (local.get $s0)) (v128.load (i32.add (global.get $t) (local.get $k)))))))
        (v128.store (i32.add (global.get $mOff) (local.get $k))
          (f64x2.mul (f64x2.splat (local.get $inverse)) (v128.load (i32.add (global.get $u) (local.get $k)))))
        (local.set $k (i32.add (local.get $k) (i32.const 16)))
        (br $each_m)))))

    ;; Per row: its side, R at each point, S and the children's Q from R.
    (local.set $b (i32.const 0))
    (block $rows_done (loop $each_row
      (br_if $rows_done (i32.ge_u (local.get $b) (global.get $B)))
      (local.set $o0 (f64.load (i32.add (local.get $og) (i32.shl (local.get $b) (i32.const 3)))))
      (local.set $toLeft (i32.le_s
        (i32.load (i32.add (global.get $codes) (i32.shl (i32.add (i32.mul (local.get $b) (global.get $columns)) (local.get $feature)) (i32.const 2))))
        (local.get $cut)))
      (i32.store (i32.add (local.get $lg) (i32.shl (local.get $b) (i32.const 2))) (local.get $toLeft))
      (f64.store (i32.add (local.get $lo) (i32.shl (local.get $b) (i32.const 3))) (local.get $o0))
      (local.set $sl (f64.sub (select (local.get $o0) (f64.const 0) (local.get $toLeft)) (local.get $zl)))
      (local.set $sr (f64.sub (select (f64.const 0) (local.get $o0) (local.get $toLeft)) (local.get $zr)))
      (local.set $a (f64.add (f64.mul (local.get $vl) (local.get $zl)) (f64.mul (local.get $vr) (local.get $zr))))
      (local.set $c (f64.add (f64.mul (local.get $vl) (local.get $sl)) (f64.mul (local.get $vr) (local.get $sr))))
      (local.set $m (select (global.get $ones) (select (global.get $mOn) (global.get $mOff) (f64.eq (local.get $o0) (f64.const 1))) (local.get $first)))
      (local.set $va (f64x2.splat (local.get $a)))
      (local.set $vc (f64x2.splat (local.get $c)))
      (local.set $vsl (f64x2.splat (local.get $sl)))
      (local.set $vsr (f64x2.splat (local.get $sr)))
      (local.set $rho (v128.const f64x2 0 0))
      (local.set $row (i32.mul (local.get $b) (global.get $Kp8)))
      (local.set $k (i32.const 0))
      (block $k_done (loop $each_k
        (br_if $k_done (i32.ge_u (local.get $k) (global.get $Kp8)))
        (local.set $i (i32.add (local.get $row) (local.get $k)))
        (local.set $tv (v128.load (i32.add (global.get $t) (local.get $k))))
        (local.set $rk (f64x2.mul (v128.load (i32.add (local.get $qa) (local.get $i))) (v128.load (i32.add (local.get $m) (local.get $k)))))
        (local.set $rho (f64x2.add (local.get $rho) (f64x2.mul (v128.load (i32.add (global.get $w) (local.get $k))) (local.get $rk))))
        (v128.store (i32.add (local.get $sa) (local.get $i)) (f64x2.mul (local.get $rk) (f64x2.add (local.get $va) (f64x2.mul (local.get $vc) (local.get $tv)))))
        (v128.store (i32.add (local.get $wl) (local.get $i)) (f64x2.mul (local.get $rk) (f64x2.add (local.get $vzl) (f64x2.mul (local.get $vsl) (local.get $tv)))))
        (v128.store (i32.add (local.get $wr) (local.get $i)) (f64x2.mul (local.get $rk) (f64x2.add (local.get $vzr) (f64x2.mul (local.get $vsr) (local.get $tv)))))
        (local.set $k (i32.add (local.get $k) (i32.const 16)))
        (br $each_k)))
      (local.set $at (i32.add (global.get $phi) (i32.shl (i32.add (i32.mul (local.get $b) (global.get $players)) (local.get $g)) (i32.const 3))))
      (f64.store (local.get $at) (f64.add (f64.load (local.get $at))
        (f64.mul (local.get $c) (f64.add (f64x2.extract_lane 0 (local.get $rho)) (f64x2.extract_lane 1 (local.get $rho))))))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $each_row)))

    (if (local.get $again) (then (memory.copy (local.get $ka) (local.get $ga) (local.get $n8))))
    ;; Each child that is a split: walked, then its S added to this node's and its term to phi.
    (local.set $side (i32.const 0))
    (block $sides_done (loop $each_side
      (br_if $sides_done (i32.ge_u (local.get $side) (i32.const 2)))
      (if (i32.eqz (i32.and (local.get $flag) (select (i32.const 4) (i32.const 8) (i32.eqz (local.get $side))))) (then
        (local.set $child (select (local.get $left) (local.get $rc) (i32.eqz (local.get $side))))
        (local.set $z1 (select (local.get $zl) (local.get $zr) (i32.eqz (local.get $side))))
        (local.set $s1 (f64.sub (f64.const 1) (local.get $z1)))
        ;; goes = 1 means left: the rows on this side are those whose goes is 1 - side.
        (local.set $want (i32.sub (i32.const 1) (local.get $side)))
        (local.set $b (i32.const 0))
        (block $o_done (loop $each_o
          (br_if $o_done (i32.ge_u (local.get $b) (global.get $B)))
          (f64.store (i32.add (local.get $og) (i32.shl (local.get $b) (i32.const 3)))
            (select (f64.load (i32.add (local.get $lo) (i32.shl (local.get $b) (i32.const 3)))) (f64.const 0)
              (i32.eq (i32.load (i32.add (local.get $lg) (i32.shl (local.get $b) (i32.const 2)))) (local.get $want))))
          (local.set $b (i32.add (local.get $b) (i32.const 1)))
          (br $each_o)))
        (if (local.get $again) (then (memory.fill (local.get $ga) (i32.const 0) (local.get $n8))))
        (call $walk (local.get $child) (i32.add (local.get $level) (i32.const 1)) (select (local.get $ql) (local.get $qr) (i32.eqz (local.get $side))))
        ;; A hot edge's term: s1·Σ w·(S_c − E)/(z1 + s1·t); a cold one's: −Σ wu·(S_c − E).
        (local.set $k (i32.const 0))
        (block $h_done (loop $each_h
          (br_if $h_done (i32.ge_u (local.get $k) (global.get $Kp8)))
          (v128.store (i32.add (global.get $hotCoef) (local.get $k))
            (f64x2.div (v128.load (i32.add (global.get $w) (local.get $k)))
              (f64x2.add (f64x2.splat (local.get $z1)) (f64x2.mul (f64x2.splat (local.get $s1)) (v128.load (i32.add (global.get $t) (local.get $k)))))))
          (local.set $k (i32.add (local.get $k) (i32.const 16)))
          (br $each_h)))
        (local.set $b (i32.const 0))
        (block $gather_done (loop $each_gather
          (br_if $gather_done (i32.ge_u (local.get $b) (global.get $B)))
          (local.set $hot (i32.and
            (i32.eq (i32.load (i32.add (local.get $lg) (i32.shl (local.get $b) (i32.const 2)))) (local.get $want))
            (f64.eq (f64.load (i32.add (local.get $lo) (i32.shl (local.get $b) (i32.const 3)))) (f64.const 1))))
          (local.set $coef (select (global.get $hotCoef) (global.get $negwu) (local.get $hot)))
          (local.set $vs (v128.const f64x2 0 0))
          (local.set $row (i32.mul (local.get $b) (global.get $Kp8)))
          (local.set $k (i32.const 0))
          (block $k2_done (loop $each_k2
            (br_if $k2_done (i32.ge_u (local.get $k) (global.get $Kp8)))
            (local.set $i (i32.add (local.get $row) (local.get $k)))
            (local.set $sc (v128.load (i32.add (local.get $csa) (local.get $i))))
            (local.set $vs (f64x2.add (local.get $vs)
              (f64x2.mul (v128.load (i32.add (local.get $coef) (local.get $k)))
                (f64x2.sub (local.get $sc) (v128.load (i32.add (local.get $ea) (local.get $i)))))))
            (v128.store (i32.add (local.get $sa) (local.get $i)) (f64x2.add (v128.load (i32.add (local.get $sa) (local.get $i))) (local.get $sc)))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (br $each_k2)))
          (local.set $s (f64.mul (f64.add (f64x2.extract_lane 0 (local.get $vs)) (f64x2.extract_lane 1 (local.get $vs)))
            (select (local.get $s1) (f64.const 1) (local.get $hot))))
          (local.set $at (i32.add (global.get $phi) (i32.shl (i32.add (i32.mul (local.get $b) (global.get $players)) (local.get $g)) (i32.const 3))))
          (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (local.get $s)))
          (local.set $b (i32.add (local.get $b) (i32.const 1)))
          (br $each_gather)))))
      (local.set $side (i32.add (local.get $side) (i32.const 1)))
      (br $each_side)))

    (local.set $b (i32.const 0))
    (block $restore_done (loop $each_restore
      (br_if $restore_done (i32.ge_u (local.get $b) (global.get $B)))
      (f64.store (i32.add (local.get $og) (i32.shl (local.get $b) (i32.const 3)))
        (f64.load (i32.add (local.get $lo) (i32.shl (local.get $b) (i32.const 3)))))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $each_restore)))
    ;; An earlier split on g leaves this subtree's leaves to this split.
    (if (i32.eqz (local.get $first)) (then
      (local.set $i (i32.const 0))
      (block $e_done (loop $each_e
        (br_if $e_done (i32.ge_u (local.get $i) (local.get $n8)))
        (v128.store (i32.add (local.get $ga) (local.get $i))
          (f64x2.add
            (v128.load (i32.add (select (local.get $ka) (local.get $ga) (local.get $again)) (local.get $i)))
            (v128.load (i32.add (local.get $sa) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $each_e))))))
)
