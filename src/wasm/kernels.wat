;; wpsim's WebAssembly SIMD kernels (f64x2), for the feature-major layered pass of
;; src/exact/layered/wasm-pass.ts. Every matrix is row-major in the imported linear memory; every
;; pointer is a byte address, every stride and count is in doubles. The pass pads the pattern
;; count P to a multiple of 8, so the long (pattern) dimension always splits into whole blocks
;; of f64x2 pairs and no kernel has a scalar tail along it.
;;
;; Compiled by scripts/build-wasm.mjs (wabt) into dist/wasm/kernels.wasm; the maths of every
;; kernel is also in the JavaScript path (src/exact/layered.ts, src/nets/activations.ts) and
;; the two are checked against each other and against finite differences in the tests.
(module
  (import "env" "memory" (memory 1))

  ;; C[i, j] = (acc ? C[i, j] : 0) + bias[i] + Σ_p A[i, p] B[p, j]
  ;; A: m × k (lda), B: k × n (ldb), C: m × n (ldc); n a multiple of 8; bias < 0 means none.
  ;; The layer products: X = W Y + b 1ᵀ and ∂E/∂Y = Wᵀ D with units along rows and patterns
  ;; along columns. A block of 2 rows × 8 columns (eight f64x2 accumulators) stays in registers
  ;; while p runs: per step four vector loads of B and two broadcast weights feed 16
  ;; multiply-adds (14 of x64's 16 vector registers).
  (func (export "gemm_nn")
    (param $m i32) (param $n i32) (param $k i32)
    (param $a i32) (param $lda i32) (param $b i32) (param $ldb i32)
    (param $c i32) (param $ldc i32) (param $acc i32) (param $bias i32)
    (local $i i32) (local $j i32) (local $p i32)
    (local $ar0 i32) (local $ar1 i32) (local $cr0 i32) (local $cr1 i32) (local $bp i32)
    (local $lda8 i32) (local $ldb8 i32) (local $ldc8 i32)
    (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128) (local $s02 v128) (local $s03 v128) (local $s12 v128) (local $s13 v128) (local $x2 v128) (local $x3 v128)
    (local $x0 v128) (local $x1 v128) (local $y0 v128) (local $y1 v128)
    (local $init0 v128) (local $init1 v128)
    (local.set $lda8 (i32.shl (local.get $lda) (i32.const 3)))
    (local.set $ldb8 (i32.shl (local.get $ldb) (i32.const 3)))
    (local.set $ldc8 (i32.shl (local.get $ldc) (i32.const 3)))
    ;; Row pairs.
    (block $pairs_done
      (loop $pairs
        (br_if $pairs_done (i32.gt_s (i32.add (local.get $i) (i32.const 2)) (local.get $m)))
        (local.set $ar0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $lda8))))
        (local.set $ar1 (i32.add (local.get $ar0) (local.get $lda8)))
        (local.set $cr0 (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc8))))
        (local.set $cr1 (i32.add (local.get $cr0) (local.get $ldc8)))
        (if (i32.ge_s (local.get $bias) (i32.const 0))
          (then
            (local.set $init0 (f64x2.splat (f64.load (i32.add (local.get $bias) (i32.shl (local.get $i) (i32.const 3))))))
            (local.set $init1 (f64x2.splat (f64.load offset=8 (i32.add (local.get $bias) (i32.shl (local.get $i) (i32.const 3)))))))
          (else
            (local.set $init0 (v128.const f64x2 0 0))
            (local.set $init1 (v128.const f64x2 0 0))))
        (local.set $j (i32.const 0))
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.ge_s (local.get $j) (local.get $n)))
            (local.set $s00 (local.get $init0))
            (local.set $s01 (local.get $init0))
            (local.set $s02 (local.get $init0))
            (local.set $s03 (local.get $init0))
            (local.set $s10 (local.get $init1))
            (local.set $s11 (local.get $init1))
            (local.set $s12 (local.get $init1))
            (local.set $s13 (local.get $init1))
            (if (local.get $acc)
              (then
                (local.set $s00 (f64x2.add (local.get $s00) (v128.load (i32.add (local.get $cr0) (i32.shl (local.get $j) (i32.const 3))))))
                (local.set $s01 (f64x2.add (local.get $s01) (v128.load offset=16 (i32.add (local.get $cr0) (i32.shl (local.get $j) (i32.const 3))))))
                (local.set $s02 (f64x2.add (local.get $s02) (v128.load offset=32 (i32.add (local.get $cr0) (i32.shl (local.get $j) (i32.const 3))))))
                (local.set $s03 (f64x2.add (local.get $s03) (v128.load offset=48 (i32.add (local.get $cr0) (i32.shl (local.get $j) (i32.const 3))))))
                (local.set $s10 (f64x2.add (local.get $s10) (v128.load (i32.add (local.get $cr1) (i32.shl (local.get $j) (i32.const 3))))))
                (local.set $s11 (f64x2.add (local.get $s11) (v128.load offset=16 (i32.add (local.get $cr1) (i32.shl (local.get $j) (i32.const 3))))))
                (local.set $s12 (f64x2.add (local.get $s12) (v128.load offset=32 (i32.add (local.get $cr1) (i32.shl (local.get $j) (i32.const 3))))))
                (local.set $s13 (f64x2.add (local.get $s13) (v128.load offset=48 (i32.add (local.get $cr1) (i32.shl (local.get $j) (i32.const 3))))))))
            (local.set $bp (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3))))
            (local.set $p (i32.const 0))
            (block $k_done
              (loop $k_loop
                (br_if $k_done (i32.ge_s (local.get $p) (local.get $k)))
                (local.set $x0 (v128.load (local.get $bp)))
                (local.set $x1 (v128.load offset=16 (local.get $bp)))
                (local.set $x2 (v128.load offset=32 (local.get $bp)))
                (local.set $x3 (v128.load offset=48 (local.get $bp)))
                (local.set $y0 (f64x2.splat (f64.load (i32.add (local.get $ar0) (i32.shl (local.get $p) (i32.const 3))))))
                (local.set $y1 (f64x2.splat (f64.load (i32.add (local.get $ar1) (i32.shl (local.get $p) (i32.const 3))))))
                (local.set $s00 (f64x2.add (local.get $s00) (f64x2.mul (local.get $y0) (local.get $x0))))
                (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $y0) (local.get $x1))))
                (local.set $s02 (f64x2.add (local.get $s02) (f64x2.mul (local.get $y0) (local.get $x2))))
                (local.set $s03 (f64x2.add (local.get $s03) (f64x2.mul (local.get $y0) (local.get $x3))))
                (local.set $s10 (f64x2.add (local.get $s10) (f64x2.mul (local.get $y1) (local.get $x0))))
                (local.set $s11 (f64x2.add (local.get $s11) (f64x2.mul (local.get $y1) (local.get $x1))))
                (local.set $s12 (f64x2.add (local.get $s12) (f64x2.mul (local.get $y1) (local.get $x2))))
                (local.set $s13 (f64x2.add (local.get $s13) (f64x2.mul (local.get $y1) (local.get $x3))))
                (local.set $bp (i32.add (local.get $bp) (local.get $ldb8)))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $k_loop)))
            (v128.store (i32.add (local.get $cr0) (i32.shl (local.get $j) (i32.const 3))) (local.get $s00))
            (v128.store offset=16 (i32.add (local.get $cr0) (i32.shl (local.get $j) (i32.const 3))) (local.get $s01))
            (v128.store offset=32 (i32.add (local.get $cr0) (i32.shl (local.get $j) (i32.const 3))) (local.get $s02))
            (v128.store offset=48 (i32.add (local.get $cr0) (i32.shl (local.get $j) (i32.const 3))) (local.get $s03))
            (v128.store (i32.add (local.get $cr1) (i32.shl (local.get $j) (i32.const 3))) (local.get $s10))
            (v128.store offset=16 (i32.add (local.get $cr1) (i32.shl (local.get $j) (i32.const 3))) (local.get $s11))
            (v128.store offset=32 (i32.add (local.get $cr1) (i32.shl (local.get $j) (i32.const 3))) (local.get $s12))
            (v128.store offset=48 (i32.add (local.get $cr1) (i32.shl (local.get $j) (i32.const 3))) (local.get $s13))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $cols)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $pairs)))
    ;; The last row when m is odd: the same with one row.
    (if (i32.lt_s (local.get $i) (local.get $m))
      (then
        (local.set $ar0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $lda8))))
        (local.set $cr0 (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc8))))
        (if (i32.ge_s (local.get $bias) (i32.const 0))
          (then (local.set $init0 (f64x2.splat (f64.load (i32.add (local.get $bias) (i32.shl (local.get $i) (i32.const 3)))))))
          (else (local.set $init0 (v128.const f64x2 0 0))))
        (local.set $j (i32.const 0))
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.ge_s (local.get $j) (local.get $n)))
            (local.set $s00 (local.get $init0))
            (local.set $s01 (local.get $init0))
            (local.set $s02 (local.get $init0))
            (local.set $s03 (local.get $init0))
            (if (local.get $acc)
              (then
                (local.set $s00 (f64x2.add (local.get $s00) (v128.load (i32.add (local.get $cr0) (i32.shl (local.get $j) (i32.const 3))))))
                (local.set $s01 (f64x2.add (local.get $s01) (v128.load offset=16 (i32.add (local.get $cr0) (i32.shl (local.get $j) (i32.const 3))))))
                (local.set $s02 (f64x2.add (local.get $s02) (v128.load offset=32 (i32.add (local.get $cr0) (i32.shl (local.get $j) (i32.const 3))))))
                (local.set $s03 (f64x2.add (local.get $s03) (v128.load offset=48 (i32.add (local.get $cr0) (i32.shl (local.get $j) (i32.const 3))))))))
            (local.set $bp (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3))))
            (local.set $p (i32.const 0))
            (block $k_done
              (loop $k_loop
                (br_if $k_done (i32.ge_s (local.get $p) (local.get $k)))
                (local.set $y0 (f64x2.splat (f64.load (i32.add (local.get $ar0) (i32.shl (local.get $p) (i32.const 3))))))
                (local.set $s00 (f64x2.add (local.get $s00) (f64x2.mul (local.get $y0) (v128.load (local.get $bp)))))
                (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $y0) (v128.load offset=16 (local.get $bp)))))
                (local.set $s02 (f64x2.add (local.get $s02) (f64x2.mul (local.get $y0) (v128.load offset=32 (local.get $bp)))))
                (local.set $s03 (f64x2.add (local.get $s03) (f64x2.mul (local.get $y0) (v128.load offset=48 (local.get $bp)))))
                (local.set $bp (i32.add (local.get $bp) (local.get $ldb8)))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $k_loop)))
            (v128.store (i32.add (local.get $cr0) (i32.shl (local.get $j) (i32.const 3))) (local.get $s00))
            (v128.store offset=16 (i32.add (local.get $cr0) (i32.shl (local.get $j) (i32.const 3))) (local.get $s01))
            (v128.store offset=32 (i32.add (local.get $cr0) (i32.shl (local.get $j) (i32.const 3))) (local.get $s02))
            (v128.store offset=48 (i32.add (local.get $cr0) (i32.shl (local.get $j) (i32.const 3))) (local.get $s03))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $cols))))))

  ;; C[i, j] = (acc ? C[i, j] : 0) + Σ_p A[i, p] B[j, p]
  ;; A: m × k (lda), B: n × k (ldb), C: m × n (ldc); k a multiple of 4. The weight-block
  ;; products ∂E/∂W = D Yᵀ and (Hv)_W = R{D} Yᵀ + D R{Y}ᵀ, summed over patterns: each entry is
  ;; a dot product of two contiguous rows, run with two independent f64x2 accumulators.
  (func (export "gemm_nt")
    (param $m i32) (param $n i32) (param $k i32)
    (param $a i32) (param $lda i32) (param $b i32) (param $ldb i32)
    (param $c i32) (param $ldc i32) (param $acc i32)
    (local $i i32) (local $j i32) (local $pa i32) (local $pb i32) (local $end i32) (local $cij i32)
    (local $s0 v128) (local $s1 v128) (local $sum f64)
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_s (local.get $i) (local.get $m)))
        (local.set $j (i32.const 0))
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.ge_s (local.get $j) (local.get $n)))
            (local.set $pa (i32.add (local.get $a) (i32.shl (i32.mul (local.get $i) (local.get $lda)) (i32.const 3))))
            (local.set $pb (i32.add (local.get $b) (i32.shl (i32.mul (local.get $j) (local.get $ldb)) (i32.const 3))))
            (local.set $end (i32.add (local.get $pa) (i32.shl (local.get $k) (i32.const 3))))
            (local.set $s0 (v128.const f64x2 0 0))
            (local.set $s1 (v128.const f64x2 0 0))
            (block $k_done
              (loop $k_loop
                (br_if $k_done (i32.ge_u (local.get $pa) (local.get $end)))
                (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (v128.load (local.get $pa)) (v128.load (local.get $pb)))))
                (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (v128.load offset=16 (local.get $pa)) (v128.load offset=16 (local.get $pb)))))
                (local.set $pa (i32.add (local.get $pa) (i32.const 32)))
                (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
                (br $k_loop)))
            (local.set $s0 (f64x2.add (local.get $s0) (local.get $s1)))
            (local.set $sum (f64.add (f64x2.extract_lane 0 (local.get $s0)) (f64x2.extract_lane 1 (local.get $s0))))
            (local.set $cij (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $ldc)) (local.get $j)) (i32.const 3))))
            (if (local.get $acc)
              (then (local.set $sum (f64.add (local.get $sum) (f64.load (local.get $cij))))))
            (f64.store (local.get $cij) (local.get $sum))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $cols)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; out[i] = Σ_j A[i, j], A: m × n (lda), n a multiple of 2: the bias blocks D 1 and R{D} 1.
  (func (export "row_sums")
    (param $m i32) (param $n i32) (param $a i32) (param $lda i32) (param $out i32)
    (local $i i32) (local $pa i32) (local $end i32) (local $s v128)
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_s (local.get $i) (local.get $m)))
        (local.set $pa (i32.add (local.get $a) (i32.shl (i32.mul (local.get $i) (local.get $lda)) (i32.const 3))))
        (local.set $end (i32.add (local.get $pa) (i32.shl (local.get $n) (i32.const 3))))
        (local.set $s (v128.const f64x2 0 0))
        (block $done
          (loop $sum
            (br_if $done (i32.ge_u (local.get $pa) (local.get $end)))
            (local.set $s (f64x2.add (local.get $s) (v128.load (local.get $pa))))
            (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
            (br $sum)))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3)))
          (f64.add (f64x2.extract_lane 0 (local.get $s)) (f64x2.extract_lane 1 (local.get $s))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; out[k] = a[k] b[k] for k < count (a multiple of 2): R{Y} = σ'(X) ⊙ R{X}.
  (func (export "mul")
    (param $count i32) (param $a i32) (param $b i32) (param $out i32)
    (local $off i32) (local $end i32)
    (local.set $end (i32.shl (local.get $count) (i32.const 3)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $off) (local.get $end)))
        (v128.store (i32.add (local.get $out) (local.get $off))
          (f64x2.mul (v128.load (i32.add (local.get $a) (local.get $off)))
                     (v128.load (i32.add (local.get $b) (local.get $off)))))
        (local.set $off (i32.add (local.get $off) (i32.const 16)))
        (br $each))))

  ;; Into layer l−1 (count a multiple of 2):
  ;;   D = σ' ⊙ ∂E/∂Y,   R{D} = σ' ⊙ R{∂E/∂Y} + σ'' ⊙ R{X} ⊙ ∂E/∂Y.
  (func (export "back_combine")
    (param $count i32) (param $s1 i32) (param $s2 i32) (param $rx i32)
    (param $dy i32) (param $rdy i32) (param $d i32) (param $rd i32)
    (local $off i32) (local $end i32) (local $sp v128) (local $g v128)
    (local.set $end (i32.shl (local.get $count) (i32.const 3)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $off) (local.get $end)))
        (local.set $sp (v128.load (i32.add (local.get $s1) (local.get $off))))
        (local.set $g (v128.load (i32.add (local.get $dy) (local.get $off))))
        (v128.store (i32.add (local.get $d) (local.get $off)) (f64x2.mul (local.get $sp) (local.get $g)))
        (v128.store (i32.add (local.get $rd) (local.get $off))
          (f64x2.add
            (f64x2.mul (local.get $sp) (v128.load (i32.add (local.get $rdy) (local.get $off))))
            (f64x2.mul
              (f64x2.mul (v128.load (i32.add (local.get $s2) (local.get $off)))
                         (v128.load (i32.add (local.get $rx) (local.get $off))))
              (local.get $g))))
        (local.set $off (i32.add (local.get $off) (i32.const 16)))
        (br $each))))

  ;; e^u for u ≤ 0 (and NaN), lane-wise, as fdlibm's exp: u = k ln2 + r with k = round(u/ln2),
  ;; |r| ≤ ln2/2, ln2 split so k·LN2_HI is exact (r = hi − lo, hi = u − k·LN2_HI, lo = k·LN2_LO);
  ;; e^r = 1 + 2r/(R(r) − r) with R(r) = r coth(r/2) = 2 + z P(z), z = r², P fdlibm's degree-4
  ;; polynomial (|R − (2 + z P)| < 2^−59 on |r| ≤ ln2/2), written as c = r − z P(z),
  ;;   e^r = 1 − ((lo − r c/(2 − c)) − hi)
  ;; (the ordering that keeps lo's bits). Then 2^k: in one factor when k ≥ −1020 (a normal
  ;; result), else as 2^⌊k/2⌋ · 2^(k−⌊k/2⌋) so results down to the subnormals round once. u is
  ;; clamped at −760 (e^u rounds to 0 there); f64x2.max propagates NaN, and so does the rest.
  ;; Largest error 1 ulp (at results near the smallest normal); the previous Taylor kernel's 2.0
  ;; (scripts/kernel-accuracy.mjs exp, docs/testing.md).
  (func $exp_nonpos (param $u v128) (result v128)
    (local $kf v128) (local $hi v128) (local $lo v128) (local $r v128) (local $t v128) (local $t2 v128) (local $c v128) (local $y v128) (local $n1 v128)
    (local.set $u (f64x2.pmax (local.get $u) (v128.const f64x2 -760 -760)))
    (local.set $kf (f64x2.nearest (f64x2.mul (local.get $u) (v128.const f64x2 1.4426950408889634 1.4426950408889634))))
    (local.set $hi (f64x2.sub (local.get $u) (f64x2.mul (local.get $kf) (v128.const f64x2 6.93147180369123816490e-01 6.93147180369123816490e-01))))
    (local.set $lo (f64x2.mul (local.get $kf) (v128.const f64x2 1.90821492927058770002e-10 1.90821492927058770002e-10)))
    (local.set $r (f64x2.sub (local.get $hi) (local.get $lo)))
    (local.set $t (f64x2.mul (local.get $r) (local.get $r)))
    (local.set $t2 (f64x2.mul (local.get $t) (local.get $t)))
    (local.set $c (f64x2.sub (local.get $r) (f64x2.mul (local.get $t)
      (f64x2.add
        (f64x2.add (v128.const f64x2 1.66666666666666019037e-01 1.66666666666666019037e-01) (f64x2.mul (v128.const f64x2 -2.77777777770155933842e-03 -2.77777777770155933842e-03) (local.get $t)))
        (f64x2.mul (local.get $t2)
          (f64x2.add
            (f64x2.add (v128.const f64x2 6.61375632143793436117e-05 6.61375632143793436117e-05) (f64x2.mul (v128.const f64x2 -1.65339022054652515390e-06 -1.65339022054652515390e-06) (local.get $t)))
            (f64x2.mul (v128.const f64x2 4.13813679705723846039e-08 4.13813679705723846039e-08) (local.get $t2))))))))
    (local.set $y (f64x2.sub (v128.const f64x2 1 1)
      (f64x2.sub (f64x2.sub (local.get $lo) (f64x2.div (f64x2.mul (local.get $r) (local.get $c)) (f64x2.sub (v128.const f64x2 2 2) (local.get $c)))) (local.get $hi))))
    (if (result v128) (i64x2.all_true (f64x2.ge (local.get $kf) (v128.const f64x2 -1020 -1020)))
      (then (f64x2.mul (local.get $y) (i64x2.shl (i64x2.sub (f64x2.add (local.get $kf) (v128.const f64x2 6755399441055744 6755399441055744)) (v128.const i64x2 0x4337fffffffffc01 0x4337fffffffffc01)) (i32.const 52))))
      (else
        ;; 2^⌊k/2⌋ · 2^(k−⌊k/2⌋), both factors normal: a result down to the subnormals rounds once
        (local.set $n1 (f64x2.floor (f64x2.mul (local.get $kf) (v128.const f64x2 0.5 0.5))))
        (f64x2.mul (f64x2.mul (local.get $y) (i64x2.shl (i64x2.sub (f64x2.add (local.get $n1) (v128.const f64x2 6755399441055744 6755399441055744)) (v128.const i64x2 0x4337fffffffffc01 0x4337fffffffffc01)) (i32.const 52)))
          (i64x2.shl (i64x2.sub (f64x2.add (f64x2.sub (local.get $kf) (local.get $n1)) (v128.const f64x2 6755399441055744 6755399441055744)) (v128.const i64x2 0x4337fffffffffc01 0x4337fffffffffc01)) (i32.const 52))))))

  ;; $exp_nonpos on two vectors at once, (e^a, e^b): the same operations, the two chains
  ;; interleaved (callers with two independent pairs, softmax_cross_entropy).
  (func $exp_nonpos2 (param $uA v128) (param $uB v128) (result v128 v128)
    (local $kfA v128) (local $hiA v128) (local $loA v128) (local $rA v128) (local $tA v128) (local $t2A v128) (local $cA v128) (local $yA v128) (local $kfB v128) (local $hiB v128) (local $loB v128) (local $rB v128) (local $tB v128) (local $t2B v128) (local $cB v128) (local $yB v128)
    (local.set $uA (f64x2.pmax (local.get $uA) (v128.const f64x2 -760 -760)))
    (local.set $uB (f64x2.pmax (local.get $uB) (v128.const f64x2 -760 -760)))
    (local.set $kfA (f64x2.nearest (f64x2.mul (local.get $uA) (v128.const f64x2 1.4426950408889634 1.4426950408889634))))
    (local.set $kfB (f64x2.nearest (f64x2.mul (local.get $uB) (v128.const f64x2 1.4426950408889634 1.4426950408889634))))
    (local.set $hiA (f64x2.sub (local.get $uA) (f64x2.mul (local.get $kfA) (v128.const f64x2 6.93147180369123816490e-01 6.93147180369123816490e-01))))
    (local.set $hiB (f64x2.sub (local.get $uB) (f64x2.mul (local.get $kfB) (v128.const f64x2 6.93147180369123816490e-01 6.93147180369123816490e-01))))
    (local.set $loA (f64x2.mul (local.get $kfA) (v128.const f64x2 1.90821492927058770002e-10 1.90821492927058770002e-10)))
    (local.set $loB (f64x2.mul (local.get $kfB) (v128.const f64x2 1.90821492927058770002e-10 1.90821492927058770002e-10)))
    (local.set $rA (f64x2.sub (local.get $hiA) (local.get $loA)))
    (local.set $rB (f64x2.sub (local.get $hiB) (local.get $loB)))
    (local.set $tA (f64x2.mul (local.get $rA) (local.get $rA)))
    (local.set $tB (f64x2.mul (local.get $rB) (local.get $rB)))
    (local.set $t2A (f64x2.mul (local.get $tA) (local.get $tA)))
    (local.set $t2B (f64x2.mul (local.get $tB) (local.get $tB)))
    (local.set $cA (f64x2.sub (local.get $rA) (f64x2.mul (local.get $tA)
        (f64x2.add
          (f64x2.add (v128.const f64x2 1.66666666666666019037e-01 1.66666666666666019037e-01) (f64x2.mul (v128.const f64x2 -2.77777777770155933842e-03 -2.77777777770155933842e-03) (local.get $tA)))
          (f64x2.mul (local.get $t2A)
            (f64x2.add
              (f64x2.add (v128.const f64x2 6.61375632143793436117e-05 6.61375632143793436117e-05) (f64x2.mul (v128.const f64x2 -1.65339022054652515390e-06 -1.65339022054652515390e-06) (local.get $tA)))
              (f64x2.mul (v128.const f64x2 4.13813679705723846039e-08 4.13813679705723846039e-08) (local.get $t2A))))))))
    (local.set $cB (f64x2.sub (local.get $rB) (f64x2.mul (local.get $tB)
        (f64x2.add
          (f64x2.add (v128.const f64x2 1.66666666666666019037e-01 1.66666666666666019037e-01) (f64x2.mul (v128.const f64x2 -2.77777777770155933842e-03 -2.77777777770155933842e-03) (local.get $tB)))
          (f64x2.mul (local.get $t2B)
            (f64x2.add
              (f64x2.add (v128.const f64x2 6.61375632143793436117e-05 6.61375632143793436117e-05) (f64x2.mul (v128.const f64x2 -1.65339022054652515390e-06 -1.65339022054652515390e-06) (local.get $tB)))
              (f64x2.mul (v128.const f64x2 4.13813679705723846039e-08 4.13813679705723846039e-08) (local.get $t2B))))))))
    (local.set $yA (f64x2.sub (v128.const f64x2 1 1)
        (f64x2.sub (f64x2.sub (local.get $loA) (f64x2.div (f64x2.mul (local.get $rA) (local.get $cA)) (f64x2.sub (v128.const f64x2 2 2) (local.get $cA)))) (local.get $hiA))))
    (local.set $yB (f64x2.sub (v128.const f64x2 1 1)
        (f64x2.sub (f64x2.sub (local.get $loB) (f64x2.div (f64x2.mul (local.get $rB) (local.get $cB)) (f64x2.sub (v128.const f64x2 2 2) (local.get $cB)))) (local.get $hiB))))
    (if (result v128 v128)
      (i64x2.all_true (f64x2.ge (f64x2.pmin (local.get $kfA) (local.get $kfB)) (v128.const f64x2 -1020 -1020)))
      (then
        (f64x2.mul (local.get $yA) (i64x2.shl (i64x2.sub (f64x2.add (local.get $kfA) (v128.const f64x2 6755399441055744 6755399441055744)) (v128.const i64x2 0x4337fffffffffc01 0x4337fffffffffc01)) (i32.const 52)))
        (f64x2.mul (local.get $yB) (i64x2.shl (i64x2.sub (f64x2.add (local.get $kfB) (v128.const f64x2 6755399441055744 6755399441055744)) (v128.const i64x2 0x4337fffffffffc01 0x4337fffffffffc01)) (i32.const 52))))
      (else
        (call $scale_tiny (local.get $yA) (local.get $kfA))
        (call $scale_tiny (local.get $yB) (local.get $kfB)))))

  ;; y·2^k for $exp_nonpos when a lane's k < −1020: 2^⌊k/2⌋ · 2^(k−⌊k/2⌋), both factors normal,
  ;; so a result down to the subnormals rounds once (in the second product). NaN k gives NaN
  ;; (y is NaN then too).
  (func $scale_tiny (param $y v128) (param $kf v128) (result v128)
    (local $n1 v128)
    (local.set $n1 (f64x2.floor (f64x2.mul (local.get $kf) (v128.const f64x2 0.5 0.5))))
    (f64x2.mul (f64x2.mul (local.get $y) (i64x2.shl (i64x2.sub (f64x2.add (local.get $n1) (v128.const f64x2 6755399441055744 6755399441055744)) (v128.const i64x2 0x4337fffffffffc01 0x4337fffffffffc01)) (i32.const 52)))
      (i64x2.shl (i64x2.sub (f64x2.add (f64x2.sub (local.get $kf) (local.get $n1)) (v128.const f64x2 6755399441055744 6755399441055744)) (v128.const i64x2 0x4337fffffffffc01 0x4337fffffffffc01)) (i32.const 52))))

  ;; tanh x for |x| < 0.625, lane-wise: Cephes' x + x z P(z)/Q(z), z = x² (as fast-math.ts).
  (func $tanh_small (param $x v128) (result v128)
    (local $z v128)
    (local.set $z (f64x2.mul (local.get $x) (local.get $x)))
    (f64x2.add (local.get $x)
      (f64x2.div
        (f64x2.mul (f64x2.mul (local.get $x) (local.get $z))
          (f64x2.add
            (f64x2.mul
              (f64x2.add (f64x2.mul (v128.const f64x2 -9.64399179425052238628e-1 -9.64399179425052238628e-1) (local.get $z))
                         (v128.const f64x2 -9.92877231001918586564e1 -9.92877231001918586564e1))
              (local.get $z))
            (v128.const f64x2 -1.61468768441708447952e3 -1.61468768441708447952e3)))
        (f64x2.add
          (f64x2.mul
            (f64x2.add (f64x2.mul (f64x2.add (local.get $z) (v128.const f64x2 1.12811678491632931402e2 1.12811678491632931402e2)) (local.get $z))
                       (v128.const f64x2 2.23548839060100448583e3 2.23548839060100448583e3))
            (local.get $z))
          (v128.const f64x2 4.84406305325125486048e3 4.84406305325125486048e3)))))

  ;; tanh: y = tanh x, s1 = sech² x, s2 = −2 tanh x sech² x (count a multiple of 2), the
  ;; formulas of activations.ts: near 0 (|x| < 0.625) the rational tanh and sech² = (1 − t)(1 + t);
  ;; beyond, e = e^{−2|x|}, tanh|x| = (1 − e)/(1 + e), sech² = 4e/(1 + e)². Each branch runs only
  ;; when one of the pair's lanes needs it (bitselect picks per lane when they differ); the sign
  ;; of x is copied onto tanh|x|. s2 is skipped when want_s2 = 0.
  (func (export "tanh_derivatives")
    (param $count i32) (param $x i32) (param $y i32) (param $s1 i32) (param $s2 i32) (param $want_s2 i32)
    (local $off i32) (local $end i32)
    (local $xv v128) (local $ax v128) (local $small v128) (local $e v128) (local $inv v128)
    (local $t v128) (local $sech2 v128) (local $tl v128) (local $sl v128)
    (local.set $end (i32.shl (local.get $count) (i32.const 3)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $off) (local.get $end)))
        (local.set $xv (v128.load (i32.add (local.get $x) (local.get $off))))
        (local.set $ax (f64x2.abs (local.get $xv)))
        (local.set $small (f64x2.lt (local.get $ax) (v128.const f64x2 0.625 0.625)))
        (if (v128.any_true (local.get $small))
          (then
            (local.set $t (call $tanh_small (local.get $ax)))
            (local.set $sech2 (f64x2.mul (f64x2.sub (v128.const f64x2 1 1) (local.get $t)) (f64x2.add (v128.const f64x2 1 1) (local.get $t))))))
        (if (i32.eqz (i64x2.all_true (local.get $small)))
          (then
            (local.set $e (call $exp_nonpos (f64x2.mul (local.get $ax) (v128.const f64x2 -2 -2))))
            (local.set $inv (f64x2.div (v128.const f64x2 1 1) (f64x2.add (v128.const f64x2 1 1) (local.get $e))))
            (local.set $tl (f64x2.mul (f64x2.sub (v128.const f64x2 1 1) (local.get $e)) (local.get $inv)))
            (local.set $sl (f64x2.mul (f64x2.mul (f64x2.mul (v128.const f64x2 4 4) (local.get $e)) (local.get $inv)) (local.get $inv)))
            (local.set $t (v128.bitselect (local.get $t) (local.get $tl) (local.get $small)))
            (local.set $sech2 (v128.bitselect (local.get $sech2) (local.get $sl) (local.get $small)))))
        ;; tanh x = sign(x) · tanh|x|: OR in x's sign bit (tanh|x| ≥ 0).
        (local.set $t (v128.or (local.get $t) (v128.and (local.get $xv) (v128.const i64x2 0x8000000000000000 0x8000000000000000))))
        (v128.store (i32.add (local.get $y) (local.get $off)) (local.get $t))
        (v128.store (i32.add (local.get $s1) (local.get $off)) (local.get $sech2))
        (if (local.get $want_s2)
          (then
            (v128.store (i32.add (local.get $s2) (local.get $off))
              (f64x2.mul (f64x2.mul (v128.const f64x2 -2 -2) (local.get $t)) (local.get $sech2)))))
        (local.set $off (i32.add (local.get $off) (i32.const 16)))
        (br $each))))

  ;; logistic: with e = e^{−|x|}, σ = 1/(1 + e) for x ≥ 0 and e/(1 + e) otherwise,
  ;; σ' = e/(1 + e)², σ'' = −σ' tanh(x/2) with tanh(|x|/2) rational near 0 (computed only when
  ;; a lane needs it) and (1 − e)/(1 + e) beyond (activations.ts). count a multiple of 2.
  (func (export "logistic_derivatives")
    (param $count i32) (param $x i32) (param $y i32) (param $s1 i32) (param $s2 i32) (param $want_s2 i32)
    (local $off i32) (local $end i32)
    (local $xv v128) (local $ax v128) (local $nonneg v128) (local $e v128) (local $inv v128)
    (local $d1 v128) (local $ht v128) (local $small v128)
    (local.set $end (i32.shl (local.get $count) (i32.const 3)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $off) (local.get $end)))
        (local.set $xv (v128.load (i32.add (local.get $x) (local.get $off))))
        (local.set $ax (f64x2.abs (local.get $xv)))
        (local.set $nonneg (f64x2.ge (local.get $xv) (v128.const f64x2 0 0)))
        (local.set $e (call $exp_nonpos (f64x2.neg (local.get $ax))))
        (local.set $inv (f64x2.div (v128.const f64x2 1 1) (f64x2.add (v128.const f64x2 1 1) (local.get $e))))
        (v128.store (i32.add (local.get $y) (local.get $off))
          (v128.bitselect (local.get $inv) (f64x2.mul (local.get $e) (local.get $inv)) (local.get $nonneg)))
        (local.set $d1 (f64x2.mul (f64x2.mul (local.get $e) (local.get $inv)) (local.get $inv)))
        (v128.store (i32.add (local.get $s1) (local.get $off)) (local.get $d1))
        (if (local.get $want_s2)
          (then
            (local.set $ht (f64x2.mul (f64x2.sub (v128.const f64x2 1 1) (local.get $e)) (local.get $inv)))
            (local.set $small (f64x2.lt (local.get $ax) (v128.const f64x2 1.25 1.25)))
            (if (v128.any_true (local.get $small))
              (then
                (local.set $ht
                  (v128.bitselect (call $tanh_small (f64x2.mul (local.get $ax) (v128.const f64x2 0.5 0.5)))
                    (local.get $ht) (local.get $small)))))
            (local.set $d1 (f64x2.mul (local.get $d1) (local.get $ht)))
            (v128.store (i32.add (local.get $s2) (local.get $off))
              (v128.bitselect (f64x2.neg (local.get $d1)) (local.get $d1) (local.get $nonneg)))))
        (local.set $off (i32.add (local.get $off) (i32.const 16)))
        (br $each))))
  ;; softplus: with e = e^{−|x|} and u = 1 + e, σ = max(x, 0) + log1p(e), σ' = logistic(x) =
  ;; 1/u for x ≥ 0 and e/u otherwise, σ'' = e/u² (activations.ts). log1p(e) = ln u − ((u − 1) − e)/u
  ;; recovers what rounding 1 + e lost (Goldberg), so tiny e keeps full precision. count a
  ;; multiple of 2.
  (func (export "softplus_derivatives")
    (param $count i32) (param $x i32) (param $y i32) (param $s1 i32) (param $s2 i32) (param $want_s2 i32)
    (local $off i32) (local $end i32)
    (local $xv v128) (local $e v128) (local $u v128) (local $inv v128)
    (local.set $end (i32.shl (local.get $count) (i32.const 3)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $off) (local.get $end)))
        (local.set $xv (v128.load (i32.add (local.get $x) (local.get $off))))
        (local.set $e (call $exp_nonpos (f64x2.neg (f64x2.abs (local.get $xv)))))
        (local.set $u (f64x2.add (v128.const f64x2 1 1) (local.get $e)))
        (local.set $inv (f64x2.div (v128.const f64x2 1 1) (local.get $u)))
        (v128.store (i32.add (local.get $y) (local.get $off))
          (f64x2.add (f64x2.max (local.get $xv) (v128.const f64x2 0 0))
            (f64x2.sub (call $log_pos (local.get $u))
              (f64x2.mul (f64x2.sub (f64x2.sub (local.get $u) (v128.const f64x2 1 1)) (local.get $e)) (local.get $inv)))))
        (v128.store (i32.add (local.get $s1) (local.get $off))
          (v128.bitselect (local.get $inv) (f64x2.mul (local.get $e) (local.get $inv))
            (f64x2.ge (local.get $xv) (v128.const f64x2 0 0))))
        (if (local.get $want_s2)
          (then
            (v128.store (i32.add (local.get $s2) (local.get $off))
              (f64x2.mul (f64x2.mul (local.get $e) (local.get $inv)) (local.get $inv)))))
        (local.set $off (i32.add (local.get $off) (i32.const 16)))
        (br $each))))

;; ln z for positive normal z, lane-wise (NaN for NaN), as fdlibm's log: z = 2^m (1 + f) with
  ;; 1 + f ∈ [√½, √2) read off the bits (f exact); s = f/(2 + f), |s| ≤ 0.1716, and
  ;; ln(1 + f) = 2 atanh s = 2s + s R, R = Σ_{j ≤ 7} Lg_j s^{2j} (fdlibm's fit, error < 2^−58.45),
  ;; taken as f − (h − s(h + R)) with h = f²/2 so that s's rounding enters only through the small
  ;; term; ln z = m ln2_hi − ((h − (s(h + R) + m ln2_lo)) − f). Largest error 0.75 ulp, the
  ;; previous atanh series' 3.6 (scripts/kernel-accuracy.mjs log, docs/testing.md).
  (func $log_pos (param $z v128) (result v128)
    (local $f v128) (local $m v128) (local $big v128) (local $s v128) (local $q v128) (local $w v128) (local $r v128) (local $h v128)
    ;; 1 + f ∈ [1, 2): z's mantissa under the exponent of 1.0; m + 1023 = z's biased exponent.
    (local.set $f (v128.or (v128.and (local.get $z) (v128.const i64x2 0x000fffffffffffff 0x000fffffffffffff))
                           (v128.const i64x2 0x3ff0000000000000 0x3ff0000000000000)))
    ;; biased exponent as a double: its bits OR 2⁵², minus 2⁵².
    (local.set $m (f64x2.sub
      (v128.or (i64x2.shr_u (local.get $z) (i32.const 52)) (v128.const i64x2 0x4330000000000000 0x4330000000000000))
      (v128.const f64x2 4503599627370496 4503599627370496)))
    (local.set $big (f64x2.gt (local.get $f) (v128.const f64x2 1.4142135623730951 1.4142135623730951)))
    (local.set $f (f64x2.sub (v128.bitselect (f64x2.mul (local.get $f) (v128.const f64x2 0.5 0.5)) (local.get $f) (local.get $big))
                             (v128.const f64x2 1 1)))
    (local.set $m (f64x2.sub (local.get $m) (v128.bitselect (v128.const f64x2 1022 1022) (v128.const f64x2 1023 1023) (local.get $big))))
    (local.set $s (f64x2.div (local.get $f) (f64x2.add (v128.const f64x2 2 2) (local.get $f))))
    (local.set $q (f64x2.mul (local.get $s) (local.get $s)))
    (local.set $w (f64x2.mul (local.get $q) (local.get $q)))
    ;; R = q (Lg1 + w (Lg3 + w (Lg5 + w Lg7))) + w (Lg2 + w (Lg4 + w Lg6)), q = s², w = s⁴
    (local.set $r (f64x2.add
      (f64x2.mul (local.get $q)
        (f64x2.add (v128.const f64x2 6.666666666666735130e-01 6.666666666666735130e-01) (f64x2.mul (local.get $w) (f64x2.add (v128.const f64x2 2.857142874366239149e-01 2.857142874366239149e-01) (f64x2.mul (local.get $w) (f64x2.add (v128.const f64x2 1.818357216161805012e-01 1.818357216161805012e-01) (f64x2.mul (local.get $w) (v128.const f64x2 1.479819860511658591e-01 1.479819860511658591e-01))))))))
      (f64x2.mul (local.get $w)
        (f64x2.add (v128.const f64x2 3.999999999940941908e-01 3.999999999940941908e-01) (f64x2.mul (local.get $w) (f64x2.add (v128.const f64x2 2.222219843214978396e-01 2.222219843214978396e-01) (f64x2.mul (local.get $w) (v128.const f64x2 1.531383769920937332e-01 1.531383769920937332e-01))))))))
    (local.set $h (f64x2.mul (f64x2.mul (v128.const f64x2 0.5 0.5) (local.get $f)) (local.get $f)))
    ;; m ln2_hi − ((h − (s (h + R) + m ln2_lo)) − f), plus (z − z): 0 for finite z, NaN for NaN.
    (f64x2.add
      (f64x2.sub
        (f64x2.mul (local.get $m) (v128.const f64x2 6.93147180369123816490e-01 6.93147180369123816490e-01))
        (f64x2.sub
          (f64x2.sub (local.get $h)
            (f64x2.add (f64x2.mul (local.get $s) (f64x2.add (local.get $h) (local.get $r)))
                       (f64x2.mul (local.get $m) (v128.const f64x2 1.90821492927058770002e-10 1.90821492927058770002e-10))))
          (local.get $f)))
      (f64x2.sub (local.get $z) (local.get $z))))

  ;; Softmax cross-entropy on linear outputs (losses.ts), returning Σ_p E_p. x, t, dx (and rx,
  ;; rdx when rx ≥ 0) are n × cols blocks with row stride ld, one column per pattern, cols a
  ;; multiple of 2. Per pattern, with S = Σ_k t_k, m = max_k x_k, e_k = exp(x_k − m) (parked in
  ;; dx), z = Σ e_k, p_k = e_k / z:
  ;;   E = S (m + ln z) − t·x,   e_x = S p − t,   R{e_x} = S p ⊙ (R{x} − p·R{x}).
  ;; A column with t = 0 (the pass's padding) gets E = 0, e_x = 0 and R{e_x} = 0.
  ;; Two pairs of columns per step, A at c and B at c + 16, their exps in one $exp_nonpos2 call
  ;; (two chains interleaved); when A is the last pair, B is A again (same loads, same stores) and
  ;; its E is masked out of the sum.
  (func (export "softmax_cross_entropy")
    (param $cols i32) (param $n i32) (param $ld i32)
    (param $x i32) (param $t i32) (param $dx i32) (param $rx i32) (param $rdx i32) (result f64)
    (local $c i32) (local $cB i32) (local $end i32) (local $k i32) (local $row i32) (local $ld8 i32)
    (local $maxA v128) (local $zA v128) (local $sumtA v128) (local $txA v128) (local $eA v128) (local $invA v128) (local $prxA v128) (local $xkA v128) (local $tkA v128) (local $maxB v128) (local $zB v128) (local $sumtB v128) (local $txB v128) (local $eB v128) (local $invB v128) (local $prxB v128) (local $xkB v128) (local $tkB v128)
    (local $countB v128) (local $total v128)
    (local.set $ld8 (i32.shl (local.get $ld) (i32.const 3)))
    (local.set $end (i32.shl (local.get $cols) (i32.const 3)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $c) (local.get $end)))
        (local.set $cB (i32.add (local.get $c) (i32.const 16)))
        (local.set $countB (v128.const i64x2 -1 -1))
        (if (i32.ge_u (local.get $cB) (local.get $end))
          (then
            (local.set $cB (local.get $c))
            (local.set $countB (v128.const i64x2 0 0))))
        ;; m = max_k x_k
        (local.set $maxA (v128.load (i32.add (local.get $x) (local.get $c))))
        (local.set $maxB (v128.load (i32.add (local.get $x) (local.get $cB))))
        (local.set $k (i32.const 1))
        (local.set $row (local.get $ld8))
        (block $max_done
          (loop $max_loop
            (br_if $max_done (i32.ge_s (local.get $k) (local.get $n)))
            (local.set $maxA (f64x2.pmax (local.get $maxA) (v128.load (i32.add (i32.add (local.get $x) (local.get $row)) (local.get $c)))))
            (local.set $maxB (f64x2.pmax (local.get $maxB) (v128.load (i32.add (i32.add (local.get $x) (local.get $row)) (local.get $cB)))))
            (local.set $row (i32.add (local.get $row) (local.get $ld8)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $max_loop)))
        ;; e_k, z, S, t·x
        (local.set $zA (v128.const f64x2 0 0))
        (local.set $zB (v128.const f64x2 0 0))
        (local.set $sumtA (v128.const f64x2 0 0))
        (local.set $sumtB (v128.const f64x2 0 0))
        (local.set $txA (v128.const f64x2 0 0))
        (local.set $txB (v128.const f64x2 0 0))
        (local.set $k (i32.const 0))
        (local.set $row (i32.const 0))
        (block $exp_done
          (loop $exp_loop
            (br_if $exp_done (i32.ge_s (local.get $k) (local.get $n)))
            (local.set $xkA (v128.load (i32.add (i32.add (local.get $x) (local.get $row)) (local.get $c))))
            (local.set $xkB (v128.load (i32.add (i32.add (local.get $x) (local.get $row)) (local.get $cB))))
            (local.set $tkA (v128.load (i32.add (i32.add (local.get $t) (local.get $row)) (local.get $c))))
            (local.set $tkB (v128.load (i32.add (i32.add (local.get $t) (local.get $row)) (local.get $cB))))
            (call $exp_nonpos2 (f64x2.sub (local.get $xkA) (local.get $maxA)) (f64x2.sub (local.get $xkB) (local.get $maxB)))
            (local.set $eB)
            (local.set $eA)
            (v128.store (i32.add (i32.add (local.get $dx) (local.get $row)) (local.get $c)) (local.get $eA))
            (v128.store (i32.add (i32.add (local.get $dx) (local.get $row)) (local.get $cB)) (local.get $eB))
            (local.set $zA (f64x2.add (local.get $zA) (local.get $eA)))
            (local.set $zB (f64x2.add (local.get $zB) (local.get $eB)))
            (local.set $sumtA (f64x2.add (local.get $sumtA) (local.get $tkA)))
            (local.set $sumtB (f64x2.add (local.get $sumtB) (local.get $tkB)))
            (local.set $txA (f64x2.add (local.get $txA) (f64x2.mul (local.get $tkA) (local.get $xkA))))
            (local.set $txB (f64x2.add (local.get $txB) (f64x2.mul (local.get $tkB) (local.get $xkB))))
            (local.set $row (i32.add (local.get $row) (local.get $ld8)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $exp_loop)))
        (local.set $invA (f64x2.div (v128.const f64x2 1 1) (local.get $zA)))
        (local.set $invB (f64x2.div (v128.const f64x2 1 1) (local.get $zB)))
        (if (i32.ge_s (local.get $rx) (i32.const 0))
          (then
            ;; p·R{x}, then R{e_x}
            (local.set $prxA (v128.const f64x2 0 0))
            (local.set $prxB (v128.const f64x2 0 0))
            (local.set $k (i32.const 0))
            (local.set $row (i32.const 0))
            (block $prx_done
              (loop $prx_loop
                (br_if $prx_done (i32.ge_s (local.get $k) (local.get $n)))
                (local.set $prxA (f64x2.add (local.get $prxA) (f64x2.mul (f64x2.mul (v128.load (i32.add (i32.add (local.get $dx) (local.get $row)) (local.get $c))) (local.get $invA)) (v128.load (i32.add (i32.add (local.get $rx) (local.get $row)) (local.get $c))))))
                (local.set $prxB (f64x2.add (local.get $prxB) (f64x2.mul (f64x2.mul (v128.load (i32.add (i32.add (local.get $dx) (local.get $row)) (local.get $cB))) (local.get $invB)) (v128.load (i32.add (i32.add (local.get $rx) (local.get $row)) (local.get $cB))))))
                (local.set $row (i32.add (local.get $row) (local.get $ld8)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $prx_loop)))
            (local.set $k (i32.const 0))
            (local.set $row (i32.const 0))
            (block $rdx_done
              (loop $rdx_loop
                (br_if $rdx_done (i32.ge_s (local.get $k) (local.get $n)))
                (v128.store (i32.add (i32.add (local.get $rdx) (local.get $row)) (local.get $c)) (f64x2.mul (f64x2.mul (f64x2.mul (local.get $sumtA) (v128.load (i32.add (i32.add (local.get $dx) (local.get $row)) (local.get $c)))) (local.get $invA)) (f64x2.sub (v128.load (i32.add (i32.add (local.get $rx) (local.get $row)) (local.get $c))) (local.get $prxA))))
                (v128.store (i32.add (i32.add (local.get $rdx) (local.get $row)) (local.get $cB)) (f64x2.mul (f64x2.mul (f64x2.mul (local.get $sumtB) (v128.load (i32.add (i32.add (local.get $dx) (local.get $row)) (local.get $cB)))) (local.get $invB)) (f64x2.sub (v128.load (i32.add (i32.add (local.get $rx) (local.get $row)) (local.get $cB))) (local.get $prxB))))
                (local.set $row (i32.add (local.get $row) (local.get $ld8)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $rdx_loop)))))
        ;; e_x = S p − t (both e_k read before either store: B may be A)
        (local.set $k (i32.const 0))
        (local.set $row (i32.const 0))
        (block $dx_done
          (loop $dx_loop
            (br_if $dx_done (i32.ge_s (local.get $k) (local.get $n)))
            (local.set $eA (v128.load (i32.add (i32.add (local.get $dx) (local.get $row)) (local.get $c))))
            (local.set $eB (v128.load (i32.add (i32.add (local.get $dx) (local.get $row)) (local.get $cB))))
            (v128.store (i32.add (i32.add (local.get $dx) (local.get $row)) (local.get $c)) (f64x2.sub (f64x2.mul (f64x2.mul (local.get $sumtA) (local.get $eA)) (local.get $invA)) (v128.load (i32.add (i32.add (local.get $t) (local.get $row)) (local.get $c)))))
            (v128.store (i32.add (i32.add (local.get $dx) (local.get $row)) (local.get $cB)) (f64x2.sub (f64x2.mul (f64x2.mul (local.get $sumtB) (local.get $eB)) (local.get $invB)) (v128.load (i32.add (i32.add (local.get $t) (local.get $row)) (local.get $cB)))))
            (local.set $row (i32.add (local.get $row) (local.get $ld8)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $dx_loop)))
        ;; E += S (m + ln z) − t·x, for A and (unless it repeats A) B
        (local.set $total (f64x2.add (local.get $total)
          (f64x2.sub (f64x2.mul (local.get $sumtA) (f64x2.add (local.get $maxA) (call $log_pos (local.get $zA)))) (local.get $txA))))
        (local.set $total (f64x2.add (local.get $total)
          (v128.and (local.get $countB)
            (f64x2.sub (f64x2.mul (local.get $sumtB) (f64x2.add (local.get $maxB) (call $log_pos (local.get $zB)))) (local.get $txB)))))
        (local.set $c (i32.add (local.get $c) (i32.const 32)))
        (br $each)))
    (f64.add (f64x2.extract_lane 0 (local.get $total)) (f64x2.extract_lane 1 (local.get $total))))

  ;; ---- Forward-only kernels (src/exact/layered/forward-wasm.ts): values, no derivatives ----

  ;; y = tanh x alone (count a multiple of 2; y may equal x, in place), branch-free, two pairs
  ;; per step (their chains interleave; an odd last pair runs alone after the loop). With
  ;; u = −2|x| (clamped at −64: tanh rounds to ±1 beyond |x| ≈ 19.1) and e^u = 2^k e^r,
  ;; u = k ln2 + r:
  ;;   e^r = (R + r)/(R − r),  R = r coth(r/2) = 2 + w,  w = z g(z),  z = r²,
  ;; g a degree-7 polynomial (a Chebyshev fit to (R − 2)/z on z ≤ 1.2075; |w − (R − 2)| is below
  ;; 1.2e-17 there).
  ;;  - lanes with u > −ln3 (tanh|x| < ½): k = 0, r = u, and tanh|x| = −r/R = −2r/(4 + 2w): r is
  ;;    exact and R ≈ 2, so nothing cancels;
  ;;  - the others: k = round(u/ln2), |r| ≤ ln2/2 (fdlibm's split ln2, as $exp_nonpos), s = 2^k,
  ;;    N = R + r, D = R − r: tanh|x| = (1 − e^u)/(1 + e^u) = 1 − 2sN/(D + sN), where
  ;;    2sN/(D + sN) ≤ ½.
  ;; One division serves both: q = 2(small ? −r : sN)/(D + sN) with
  ;; D + sN = (2 + 2s) + ((w − r) + s(r + w)) (4 + 2w when k = 0) and sN = 2s + s(r + w);
  ;; tanh|x| = q or 1 − q per lane (bitselect), then x's sign bit OR-ed in (doubling before
  ;; dividing keeps subnormal x exact). Largest error 1.8 ulps of the exact tanh (the previous
  ;; expm1 kernel: 3.1) over the 400 000 points of scripts/kernel-accuracy.mjs (docs/testing.md);
  ;; NaN propagates, ±0 keeps its sign, ±∞ gives ±1. Equals tanh_derivatives' y to a few ulps (a
  ;; different formula), not bit for bit.
  (func (export "tanh_forward") (param $count i32) (param $x i32) (param $y i32)
    (local $off i32) (local $end i32) (local $blocks i32)
    (local $xvA v128) (local $uA v128) (local $smallA v128) (local $kfA v128) (local $rA v128) (local $zA v128) (local $z2A v128)
    (local $wA v128) (local $sA v128) (local $rwA v128) (local $denA v128) (local $qA v128)
    (local $xvB v128) (local $uB v128) (local $smallB v128) (local $kfB v128) (local $rB v128) (local $zB v128) (local $z2B v128)
    (local $wB v128) (local $sB v128) (local $rwB v128) (local $denB v128) (local $qB v128)
    (local.set $end (i32.shl (local.get $count) (i32.const 3)))
    ;; Bytes in whole blocks of two pairs; an odd last pair runs after the loop as pair A alone.
    (local.set $blocks (i32.and (local.get $end) (i32.const -32)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $off) (local.get $blocks)))
        (local.set $xvA (v128.load (i32.add (local.get $x) (local.get $off))))
        (local.set $xvB (v128.load offset=16 (i32.add (local.get $x) (local.get $off))))
        ;; u = −2|x| ≥ −64 (NaN passes: pmax keeps its first operand unless it is < −64)
        (local.set $uA (f64x2.pmax (f64x2.mul (f64x2.abs (local.get $xvA)) (v128.const f64x2 -2 -2)) (v128.const f64x2 -64 -64)))
        (local.set $uB (f64x2.pmax (f64x2.mul (f64x2.abs (local.get $xvB)) (v128.const f64x2 -2 -2)) (v128.const f64x2 -64 -64)))
        ;; small: the lanes with tanh|x| < ½, which take k = 0
        (local.set $smallA (f64x2.gt (local.get $uA) (v128.const f64x2 -1.0986122886681098 -1.0986122886681098)))
        (local.set $smallB (f64x2.gt (local.get $uB) (v128.const f64x2 -1.0986122886681098 -1.0986122886681098)))
        (local.set $kfA (v128.andnot (f64x2.nearest (f64x2.mul (local.get $uA) (v128.const f64x2 1.4426950408889634 1.4426950408889634))) (local.get $smallA)))
        (local.set $kfB (v128.andnot (f64x2.nearest (f64x2.mul (local.get $uB) (v128.const f64x2 1.4426950408889634 1.4426950408889634))) (local.get $smallB)))
        ;; r = u − k ln2 (k·LN2_HI exact)
        (local.set $rA (f64x2.sub (f64x2.sub (local.get $uA) (f64x2.mul (local.get $kfA) (v128.const f64x2 6.93147180369123816490e-01 6.93147180369123816490e-01))) (f64x2.mul (local.get $kfA) (v128.const f64x2 1.90821492927058770002e-10 1.90821492927058770002e-10))))
        (local.set $rB (f64x2.sub (f64x2.sub (local.get $uB) (f64x2.mul (local.get $kfB) (v128.const f64x2 6.93147180369123816490e-01 6.93147180369123816490e-01))) (f64x2.mul (local.get $kfB) (v128.const f64x2 1.90821492927058770002e-10 1.90821492927058770002e-10))))
        ;; w = R − 2 = z g(z) by Estrin's scheme (pairs, then z², z⁴)
        (local.set $zA (f64x2.mul (local.get $rA) (local.get $rA)))
        (local.set $zB (f64x2.mul (local.get $rB) (local.get $rB)))
        (local.set $z2A (f64x2.mul (local.get $zA) (local.get $zA)))
        (local.set $z2B (f64x2.mul (local.get $zB) (local.get $zB)))
        (local.set $wA (f64x2.mul (local.get $zA)
            (f64x2.add (f64x2.add (f64x2.add (v128.const f64x2 0.16666666666666666 0.16666666666666666) (f64x2.mul (v128.const f64x2 -0.0027777777777775554 -0.0027777777777775554) (local.get $zA))) (f64x2.mul (local.get $z2A) (f64x2.add (v128.const f64x2 6.613756613369157e-05 6.613756613369157e-05) (f64x2.mul (v128.const f64x2 -1.6534391277082967e-06 -1.6534391277082967e-06) (local.get $zA)))))
              (f64x2.mul (f64x2.mul (local.get $z2A) (local.get $z2A)) (f64x2.add (f64x2.add (v128.const f64x2 4.175342992856938e-08 4.175342992856938e-08) (f64x2.mul (v128.const f64x2 -1.0566885611782261e-09 -1.0566885611782261e-09) (local.get $zA))) (f64x2.mul (local.get $z2A) (f64x2.add (v128.const f64x2 2.6617083077681236e-11 2.6617083077681236e-11) (f64x2.mul (v128.const f64x2 -6.006960117543096e-13 -6.006960117543096e-13) (local.get $zA)))))))))
        (local.set $wB (f64x2.mul (local.get $zB)
            (f64x2.add (f64x2.add (f64x2.add (v128.const f64x2 0.16666666666666666 0.16666666666666666) (f64x2.mul (v128.const f64x2 -0.0027777777777775554 -0.0027777777777775554) (local.get $zB))) (f64x2.mul (local.get $z2B) (f64x2.add (v128.const f64x2 6.613756613369157e-05 6.613756613369157e-05) (f64x2.mul (v128.const f64x2 -1.6534391277082967e-06 -1.6534391277082967e-06) (local.get $zB)))))
              (f64x2.mul (f64x2.mul (local.get $z2B) (local.get $z2B)) (f64x2.add (f64x2.add (v128.const f64x2 4.175342992856938e-08 4.175342992856938e-08) (f64x2.mul (v128.const f64x2 -1.0566885611782261e-09 -1.0566885611782261e-09) (local.get $zB))) (f64x2.mul (local.get $z2B) (f64x2.add (v128.const f64x2 2.6617083077681236e-11 2.6617083077681236e-11) (f64x2.mul (v128.const f64x2 -6.006960117543096e-13 -6.006960117543096e-13) (local.get $zB)))))))))
        ;; s = 2^k from its bits (k + 1023) << 52 (k ≥ −93: a normal number), as in $exp_nonpos
        (local.set $sA (i64x2.shl (i64x2.sub (f64x2.add (local.get $kfA) (v128.const f64x2 6755399441055744 6755399441055744)) (v128.const i64x2 0x4337fffffffffc01 0x4337fffffffffc01)) (i32.const 52)))
        (local.set $sB (i64x2.shl (i64x2.sub (f64x2.add (local.get $kfB) (v128.const f64x2 6755399441055744 6755399441055744)) (v128.const i64x2 0x4337fffffffffc01 0x4337fffffffffc01)) (i32.const 52)))
        ;; D + sN and q
        (local.set $rwA (f64x2.add (local.get $rA) (local.get $wA)))
        (local.set $rwB (f64x2.add (local.get $rB) (local.get $wB)))
        (local.set $denA (f64x2.add (f64x2.add (v128.const f64x2 2 2) (f64x2.add (local.get $sA) (local.get $sA))) (f64x2.add (f64x2.sub (local.get $wA) (local.get $rA)) (f64x2.mul (local.get $sA) (local.get $rwA)))))
        (local.set $denB (f64x2.add (f64x2.add (v128.const f64x2 2 2) (f64x2.add (local.get $sB) (local.get $sB))) (f64x2.add (f64x2.sub (local.get $wB) (local.get $rB)) (f64x2.mul (local.get $sB) (local.get $rwB)))))
        (local.set $qA (v128.bitselect (f64x2.neg (local.get $rA)) (f64x2.add (f64x2.add (local.get $sA) (local.get $sA)) (f64x2.mul (local.get $sA) (local.get $rwA))) (local.get $smallA)))
        (local.set $qA (f64x2.div (f64x2.add (local.get $qA) (local.get $qA)) (local.get $denA)))
        (local.set $qB (v128.bitselect (f64x2.neg (local.get $rB)) (f64x2.add (f64x2.add (local.get $sB) (local.get $sB)) (f64x2.mul (local.get $sB) (local.get $rwB))) (local.get $smallB)))
        (local.set $qB (f64x2.div (f64x2.add (local.get $qB) (local.get $qB)) (local.get $denB)))
        ;; tanh x = sign(x) · (small ? q : 1 − q)
        (v128.store (i32.add (local.get $y) (local.get $off))
          (v128.or (v128.bitselect (local.get $qA) (f64x2.sub (v128.const f64x2 1 1) (local.get $qA)) (local.get $smallA))
            (v128.and (local.get $xvA) (v128.const i64x2 0x8000000000000000 0x8000000000000000))))
        (v128.store offset=16 (i32.add (local.get $y) (local.get $off))
          (v128.or (v128.bitselect (local.get $qB) (f64x2.sub (v128.const f64x2 1 1) (local.get $qB)) (local.get $smallB))
            (v128.and (local.get $xvB) (v128.const i64x2 0x8000000000000000 0x8000000000000000))))
        (local.set $off (i32.add (local.get $off) (i32.const 32)))
        (br $each)))
    (if (i32.lt_u (local.get $off) (local.get $end))
      (then
          (local.set $xvA (v128.load (i32.add (local.get $x) (local.get $off))))
          (local.set $uA (f64x2.pmax (f64x2.mul (f64x2.abs (local.get $xvA)) (v128.const f64x2 -2 -2)) (v128.const f64x2 -64 -64)))
          (local.set $smallA (f64x2.gt (local.get $uA) (v128.const f64x2 -1.0986122886681098 -1.0986122886681098)))
          (local.set $kfA (v128.andnot (f64x2.nearest (f64x2.mul (local.get $uA) (v128.const f64x2 1.4426950408889634 1.4426950408889634))) (local.get $smallA)))
          (local.set $rA (f64x2.sub (f64x2.sub (local.get $uA) (f64x2.mul (local.get $kfA) (v128.const f64x2 6.93147180369123816490e-01 6.93147180369123816490e-01))) (f64x2.mul (local.get $kfA) (v128.const f64x2 1.90821492927058770002e-10 1.90821492927058770002e-10))))
          (local.set $zA (f64x2.mul (local.get $rA) (local.get $rA)))
          (local.set $z2A (f64x2.mul (local.get $zA) (local.get $zA)))
          (local.set $wA (f64x2.mul (local.get $zA)
              (f64x2.add (f64x2.add (f64x2.add (v128.const f64x2 0.16666666666666666 0.16666666666666666) (f64x2.mul (v128.const f64x2 -0.0027777777777775554 -0.0027777777777775554) (local.get $zA))) (f64x2.mul (local.get $z2A) (f64x2.add (v128.const f64x2 6.613756613369157e-05 6.613756613369157e-05) (f64x2.mul (v128.const f64x2 -1.6534391277082967e-06 -1.6534391277082967e-06) (local.get $zA)))))
                (f64x2.mul (f64x2.mul (local.get $z2A) (local.get $z2A)) (f64x2.add (f64x2.add (v128.const f64x2 4.175342992856938e-08 4.175342992856938e-08) (f64x2.mul (v128.const f64x2 -1.0566885611782261e-09 -1.0566885611782261e-09) (local.get $zA))) (f64x2.mul (local.get $z2A) (f64x2.add (v128.const f64x2 2.6617083077681236e-11 2.6617083077681236e-11) (f64x2.mul (v128.const f64x2 -6.006960117543096e-13 -6.006960117543096e-13) (local.get $zA)))))))))
          (local.set $sA (i64x2.shl (i64x2.sub (f64x2.add (local.get $kfA) (v128.const f64x2 6755399441055744 6755399441055744)) (v128.const i64x2 0x4337fffffffffc01 0x4337fffffffffc01)) (i32.const 52)))
          (local.set $rwA (f64x2.add (local.get $rA) (local.get $wA)))
          (local.set $denA (f64x2.add (f64x2.add (v128.const f64x2 2 2) (f64x2.add (local.get $sA) (local.get $sA))) (f64x2.add (f64x2.sub (local.get $wA) (local.get $rA)) (f64x2.mul (local.get $sA) (local.get $rwA)))))
          (local.set $qA (v128.bitselect (f64x2.neg (local.get $rA)) (f64x2.add (f64x2.add (local.get $sA) (local.get $sA)) (f64x2.mul (local.get $sA) (local.get $rwA))) (local.get $smallA)))
          (local.set $qA (f64x2.div (f64x2.add (local.get $qA) (local.get $qA)) (local.get $denA)))
          (v128.store (i32.add (local.get $y) (local.get $off))
            (v128.or (v128.bitselect (local.get $qA) (f64x2.sub (v128.const f64x2 1 1) (local.get $qA)) (local.get $smallA))
              (v128.and (local.get $xvA) (v128.const i64x2 0x8000000000000000 0x8000000000000000)))))))

  ;; y = logistic x alone (count a multiple of 2; in place allowed): e = e^{−|x|} ($exp_nonpos),
  ;; y = 1/(1 + e) for x ≥ 0 and e/(1 + e) otherwise (per lane by bitselect), as
  ;; logistic_derivatives' y, bit for bit. Two pairs per step, their exps in one $exp_nonpos2
  ;; call; when the last pair is alone, B is A again (same load, same store).
  (func (export "logistic_forward") (param $count i32) (param $x i32) (param $y i32)
    (local $off i32) (local $offB i32) (local $end i32)
    (local $xA v128) (local $eA v128) (local $invA v128) (local $xB v128) (local $eB v128) (local $invB v128)
    (local.set $end (i32.shl (local.get $count) (i32.const 3)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $off) (local.get $end)))
        (local.set $offB (select (i32.add (local.get $off) (i32.const 16)) (local.get $off)
          (i32.lt_u (i32.add (local.get $off) (i32.const 16)) (local.get $end))))
        (local.set $xA (v128.load (i32.add (local.get $x) (local.get $off))))
        (local.set $xB (v128.load (i32.add (local.get $x) (local.get $offB))))
        (call $exp_nonpos2 (f64x2.neg (f64x2.abs (local.get $xA))) (f64x2.neg (f64x2.abs (local.get $xB))))
        (local.set $eB)
        (local.set $eA)
        (local.set $invA (f64x2.div (v128.const f64x2 1 1) (f64x2.add (v128.const f64x2 1 1) (local.get $eA))))
        (local.set $invB (f64x2.div (v128.const f64x2 1 1) (f64x2.add (v128.const f64x2 1 1) (local.get $eB))))
        (v128.store (i32.add (local.get $y) (local.get $off))
          (v128.bitselect (local.get $invA) (f64x2.mul (local.get $eA) (local.get $invA))
            (f64x2.ge (local.get $xA) (v128.const f64x2 0 0))))
        (v128.store (i32.add (local.get $y) (local.get $offB))
          (v128.bitselect (local.get $invB) (f64x2.mul (local.get $eB) (local.get $invB))
            (f64x2.ge (local.get $xB) (v128.const f64x2 0 0))))
        (local.set $off (i32.add (local.get $off) (i32.const 32)))
        (br $each))))

  ;; The two products of a perturbed layer on one input vector: for i < m,
  ;;   a[i] = Σ_j W[i, j] x[j],   d[i] = Σ_j ΔW[i, j] x[j]      (W, ΔW: m × k, row stride ldw)
  ;; so (W ± ΔW) x = a ± d: one sweep over W and ΔW gives both signs of an antithetic pair (and
  ;; σ-scaled one-sided trials a + s d). Any k (a scalar tail when odd), any alignment; each row
  ;; is two dot products with two f64x2 accumulators each, sharing the loads of x. (Rows in
  ;; pairs, as matvec takes them, measured no faster here: the step is bound by its six loads.)
  (func (export "matvec_pair")
    (param $m i32) (param $k i32) (param $w i32) (param $dw i32) (param $ldw i32) (param $x i32) (param $a i32) (param $d i32)
    (local $i i32) (local $j i32) (local $pairs i32) (local $wr i32) (local $dr i32) (local $rowBytes i32)
    (local $xv v128) (local $a0 v128) (local $a1 v128) (local $d0 v128) (local $d1 v128) (local $sa f64) (local $sd f64) (local $xs f64)
    (local.set $rowBytes (i32.shl (local.get $ldw) (i32.const 3)))
    ;; Bytes covered by whole blocks of 4 doubles.
    (local.set $pairs (i32.shl (i32.shr_u (local.get $k) (i32.const 2)) (i32.const 5)))
    (block $rowsDone
      (loop $row
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $wr (i32.add (local.get $w) (i32.mul (local.get $i) (local.get $rowBytes))))
        (local.set $dr (i32.add (local.get $dw) (i32.mul (local.get $i) (local.get $rowBytes))))
        (local.set $a0 (v128.const f64x2 0 0)) (local.set $a1 (v128.const f64x2 0 0))
        (local.set $d0 (v128.const f64x2 0 0)) (local.set $d1 (v128.const f64x2 0 0))
        (local.set $j (i32.const 0))
        (block $blocksDone
          (loop $block
            (br_if $blocksDone (i32.ge_u (local.get $j) (local.get $pairs)))
            (local.set $xv (v128.load (i32.add (local.get $x) (local.get $j))))
            (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (v128.load (i32.add (local.get $wr) (local.get $j))) (local.get $xv))))
            (local.set $d0 (f64x2.add (local.get $d0) (f64x2.mul (v128.load (i32.add (local.get $dr) (local.get $j))) (local.get $xv))))
            (local.set $xv (v128.load offset=16 (i32.add (local.get $x) (local.get $j))))
            (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (v128.load offset=16 (i32.add (local.get $wr) (local.get $j))) (local.get $xv))))
            (local.set $d1 (f64x2.add (local.get $d1) (f64x2.mul (v128.load offset=16 (i32.add (local.get $dr) (local.get $j))) (local.get $xv))))
            (local.set $j (i32.add (local.get $j) (i32.const 32)))
            (br $block)))
        (local.set $a0 (f64x2.add (local.get $a0) (local.get $a1)))
        (local.set $d0 (f64x2.add (local.get $d0) (local.get $d1)))
        (local.set $sa (f64.add (f64x2.extract_lane 0 (local.get $a0)) (f64x2.extract_lane 1 (local.get $a0))))
        (local.set $sd (f64.add (f64x2.extract_lane 0 (local.get $d0)) (f64x2.extract_lane 1 (local.get $d0))))
        ;; The last k mod 4 columns.
        (block $tailDone
          (loop $tail
            (br_if $tailDone (i32.ge_u (local.get $j) (i32.shl (local.get $k) (i32.const 3))))
            (local.set $xs (f64.load (i32.add (local.get $x) (local.get $j))))
            (local.set $sa (f64.add (local.get $sa) (f64.mul (f64.load (i32.add (local.get $wr) (local.get $j))) (local.get $xs))))
            (local.set $sd (f64.add (local.get $sd) (f64.mul (f64.load (i32.add (local.get $dr) (local.get $j))) (local.get $xs))))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $tail)))
        (f64.store (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 3))) (local.get $sa))
        (f64.store (i32.add (local.get $d) (i32.shl (local.get $i) (i32.const 3))) (local.get $sd))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $row))))

  ;; matvec's rows 0 … 2⌊m/2⌋ − 1, two at a time sharing the loads of x; per row the same
  ;; accumulators, lane sums and tail, in the same order, as matvec's single-row loop.
  (func $matvec_rows2
    (param $m i32) (param $k i32) (param $w i32) (param $ldw i32) (param $x i32) (param $a i32)
    (local $i i32) (local $j i32) (local $blocks i32) (local $end i32) (local $rowBytes i32)
    (local $w0 i32) (local $w1 i32) (local $xv v128) (local $xs f64)
    (local $a00 v128) (local $a01 v128) (local $a10 v128) (local $a11 v128) (local $sa0 f64) (local $sa1 f64)
    (local.set $rowBytes (i32.shl (local.get $ldw) (i32.const 3)))
    (local.set $blocks (i32.shl (i32.shr_u (local.get $k) (i32.const 2)) (i32.const 5)))
    (local.set $end (i32.shl (local.get $k) (i32.const 3)))
    (block $rowsDone
      (loop $rowPair
        (br_if $rowsDone (i32.gt_u (i32.add (local.get $i) (i32.const 2)) (local.get $m)))
        (local.set $w0 (i32.add (local.get $w) (i32.mul (local.get $i) (local.get $rowBytes))))
        (local.set $w1 (i32.add (local.get $w0) (local.get $rowBytes)))
        (local.set $a00 (v128.const f64x2 0 0)) (local.set $a01 (v128.const f64x2 0 0))
        (local.set $a10 (v128.const f64x2 0 0)) (local.set $a11 (v128.const f64x2 0 0))
        (local.set $j (i32.const 0))
        (block $blocksDone
          (loop $block
            (br_if $blocksDone (i32.ge_u (local.get $j) (local.get $blocks)))
            (local.set $xv (v128.load (i32.add (local.get $x) (local.get $j))))
            (local.set $a00 (f64x2.add (local.get $a00) (f64x2.mul (v128.load (i32.add (local.get $w0) (local.get $j))) (local.get $xv))))
            (local.set $a10 (f64x2.add (local.get $a10) (f64x2.mul (v128.load (i32.add (local.get $w1) (local.get $j))) (local.get $xv))))
            (local.set $xv (v128.load offset=16 (i32.add (local.get $x) (local.get $j))))
            (local.set $a01 (f64x2.add (local.get $a01) (f64x2.mul (v128.load offset=16 (i32.add (local.get $w0) (local.get $j))) (local.get $xv))))
            (local.set $a11 (f64x2.add (local.get $a11) (f64x2.mul (v128.load offset=16 (i32.add (local.get $w1) (local.get $j))) (local.get $xv))))
            (local.set $j (i32.add (local.get $j) (i32.const 32)))
            (br $block)))
        (local.set $a00 (f64x2.add (local.get $a00) (local.get $a01)))
        (local.set $a10 (f64x2.add (local.get $a10) (local.get $a11)))
        (local.set $sa0 (f64.add (f64x2.extract_lane 0 (local.get $a00)) (f64x2.extract_lane 1 (local.get $a00))))
        (local.set $sa1 (f64.add (f64x2.extract_lane 0 (local.get $a10)) (f64x2.extract_lane 1 (local.get $a10))))
        (block $tailDone
          (loop $tail
            (br_if $tailDone (i32.ge_u (local.get $j) (local.get $end)))
            (local.set $xs (f64.load (i32.add (local.get $x) (local.get $j))))
            (local.set $sa0 (f64.add (local.get $sa0) (f64.mul (f64.load (i32.add (local.get $w0) (local.get $j))) (local.get $xs))))
            (local.set $sa1 (f64.add (local.get $sa1) (f64.mul (f64.load (i32.add (local.get $w1) (local.get $j))) (local.get $xs))))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $tail)))
        (f64.store (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 3))) (local.get $sa0))
        (f64.store offset=8 (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 3))) (local.get $sa1))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $rowPair))))

  ;; a[i] = Σ_j W[i, j] x[j] for i < m (W: m × k, row stride ldw): one layer's product on one
  ;; input vector (exact SGD's single-pattern forward sweep). Any k (a scalar tail), any
  ;; alignment; each row a dot product in two f64x2 accumulators, combined as matvec_pair's a;
  ;; rows in pairs as there (the same bits), an odd last row alone.
  (func (export "matvec")
    (param $m i32) (param $k i32) (param $w i32) (param $ldw i32) (param $x i32) (param $a i32)
    (local $i i32) (local $j i32) (local $pairs i32) (local $wr i32) (local $rowBytes i32)
    (local $a0 v128) (local $a1 v128) (local $sa f64)
    (local.set $rowBytes (i32.shl (local.get $ldw) (i32.const 3)))
    (local.set $pairs (i32.shl (i32.shr_u (local.get $k) (i32.const 2)) (i32.const 5)))
    (call $matvec_rows2 (local.get $m) (local.get $k) (local.get $w) (local.get $ldw) (local.get $x) (local.get $a))
    (local.set $i (i32.and (local.get $m) (i32.const -2)))
    (block $rowsDone
      (loop $row
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $wr (i32.add (local.get $w) (i32.mul (local.get $i) (local.get $rowBytes))))
        (local.set $a0 (v128.const f64x2 0 0)) (local.set $a1 (v128.const f64x2 0 0))
        (local.set $j (i32.const 0))
        (block $blocksDone
          (loop $block
            (br_if $blocksDone (i32.ge_u (local.get $j) (local.get $pairs)))
            (local.set $a0 (f64x2.add (local.get $a0)
              (f64x2.mul (v128.load (i32.add (local.get $wr) (local.get $j))) (v128.load (i32.add (local.get $x) (local.get $j))))))
            (local.set $a1 (f64x2.add (local.get $a1)
              (f64x2.mul (v128.load offset=16 (i32.add (local.get $wr) (local.get $j))) (v128.load offset=16 (i32.add (local.get $x) (local.get $j))))))
            (local.set $j (i32.add (local.get $j) (i32.const 32)))
            (br $block)))
        (local.set $a0 (f64x2.add (local.get $a0) (local.get $a1)))
        (local.set $sa (f64.add (f64x2.extract_lane 0 (local.get $a0)) (f64x2.extract_lane 1 (local.get $a0))))
        (block $tailDone
          (loop $tail
            (br_if $tailDone (i32.ge_u (local.get $j) (i32.shl (local.get $k) (i32.const 3))))
            (local.set $sa (f64.add (local.get $sa)
              (f64.mul (f64.load (i32.add (local.get $wr) (local.get $j))) (f64.load (i32.add (local.get $x) (local.get $j))))))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $tail)))
        (f64.store (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 3))) (local.get $sa))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $row))))

  ;; W[i, j] += (alpha u[i]) x[j] for i < m, j < k (W: m × k, row stride ldw): a rank-one update,
  ;; exact SGD's step of one layer on one pattern (alpha = −η, u = e_l, x = y_{l−1}). Any k, any
  ;; alignment (scalar tail).
  (func (export "rank1")
    (param $m i32) (param $k i32) (param $alpha f64) (param $u i32) (param $x i32) (param $w i32) (param $ldw i32)
    (local $i i32) (local $j i32) (local $pairs i32) (local $wr i32) (local $rowBytes i32) (local $s f64) (local $sv v128)
    (local.set $rowBytes (i32.shl (local.get $ldw) (i32.const 3)))
    (local.set $pairs (i32.shl (i32.shr_u (local.get $k) (i32.const 1)) (i32.const 4)))
    (block $rowsDone
      (loop $row
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $wr (i32.add (local.get $w) (i32.mul (local.get $i) (local.get $rowBytes))))
        (local.set $s (f64.mul (local.get $alpha) (f64.load (i32.add (local.get $u) (i32.shl (local.get $i) (i32.const 3))))))
        (local.set $sv (f64x2.splat (local.get $s)))
        (local.set $j (i32.const 0))
        ;; Two pairs per step, then the odd pair.
        (block $quadsDone
          (loop $quad
            (br_if $quadsDone (i32.gt_u (i32.add (local.get $j) (i32.const 32)) (local.get $pairs)))
            (v128.store (i32.add (local.get $wr) (local.get $j))
              (f64x2.add (v128.load (i32.add (local.get $wr) (local.get $j)))
                         (f64x2.mul (local.get $sv) (v128.load (i32.add (local.get $x) (local.get $j))))))
            (v128.store offset=16 (i32.add (local.get $wr) (local.get $j))
              (f64x2.add (v128.load offset=16 (i32.add (local.get $wr) (local.get $j)))
                         (f64x2.mul (local.get $sv) (v128.load offset=16 (i32.add (local.get $x) (local.get $j))))))
            (local.set $j (i32.add (local.get $j) (i32.const 32)))
            (br $quad)))
        (if (i32.lt_u (local.get $j) (local.get $pairs))
          (then
            (v128.store (i32.add (local.get $wr) (local.get $j))
              (f64x2.add (v128.load (i32.add (local.get $wr) (local.get $j)))
                         (f64x2.mul (local.get $sv) (v128.load (i32.add (local.get $x) (local.get $j))))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))))
        (if (i32.and (local.get $k) (i32.const 1))
          (then
            (f64.store (i32.add (local.get $wr) (local.get $j))
              (f64.add (f64.load (i32.add (local.get $wr) (local.get $j)))
                       (f64.mul (local.get $s) (f64.load (i32.add (local.get $x) (local.get $j))))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $row))))

  ;; out[j] = Σ_i W[i, j] u[i] for j < k (W: m × k, row stride ldw): the backward product Wᵀ e
  ;; of one pattern, accumulated row by row in index order i = 0 … m−1 (out is overwritten).
  (func (export "matvec_t")
    (param $m i32) (param $k i32) (param $w i32) (param $ldw i32) (param $u i32) (param $out i32)
    (local $i i32) (local $j i32) (local $pairs i32) (local $wr i32) (local $rowBytes i32) (local $s f64) (local $sv v128)
    (local.set $rowBytes (i32.shl (local.get $ldw) (i32.const 3)))
    (local.set $pairs (i32.shl (i32.shr_u (local.get $k) (i32.const 1)) (i32.const 4)))
    (memory.fill (local.get $out) (i32.const 0) (i32.shl (local.get $k) (i32.const 3)))
    (block $rowsDone
      (loop $row
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $wr (i32.add (local.get $w) (i32.mul (local.get $i) (local.get $rowBytes))))
        (local.set $s (f64.load (i32.add (local.get $u) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $sv (f64x2.splat (local.get $s)))
        (local.set $j (i32.const 0))
        (block $pairsDone
          (loop $pair
            (br_if $pairsDone (i32.ge_u (local.get $j) (local.get $pairs)))
            (v128.store (i32.add (local.get $out) (local.get $j))
              (f64x2.add (v128.load (i32.add (local.get $out) (local.get $j)))
                         (f64x2.mul (v128.load (i32.add (local.get $wr) (local.get $j))) (local.get $sv))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $pair)))
        (if (i32.and (local.get $k) (i32.const 1))
          (then
            (f64.store (i32.add (local.get $out) (local.get $j))
              (f64.add (f64.load (i32.add (local.get $out) (local.get $j)))
                       (f64.mul (f64.load (i32.add (local.get $wr) (local.get $j))) (local.get $s))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $row))))

  ;; y += alpha x over count doubles (count rounded up to even: blocks are 16-byte padded), two
  ;; f64x2 per step and the odd pair last: the weight-perturbation step w ← w − (η/σ²) a Δw on
  ;; the weight store.
  (func (export "axpy") (param $count i32) (param $alpha f64) (param $x i32) (param $y i32)
    (local $off i32) (local $end i32) (local $av v128)
    (local.set $av (f64x2.splat (local.get $alpha)))
    (local.set $end (i32.shl (i32.and (i32.add (local.get $count) (i32.const 1)) (i32.const -2)) (i32.const 3)))
    (block $done
      (loop $each
        (br_if $done (i32.gt_u (i32.add (local.get $off) (i32.const 32)) (local.get $end)))
        (v128.store (i32.add (local.get $y) (local.get $off))
          (f64x2.add (v128.load (i32.add (local.get $y) (local.get $off)))
                     (f64x2.mul (local.get $av) (v128.load (i32.add (local.get $x) (local.get $off))))))
        (v128.store offset=16 (i32.add (local.get $y) (local.get $off))
          (f64x2.add (v128.load offset=16 (i32.add (local.get $y) (local.get $off)))
                     (f64x2.mul (local.get $av) (v128.load offset=16 (i32.add (local.get $x) (local.get $off))))))
        (local.set $off (i32.add (local.get $off) (i32.const 32)))
        (br $each)))
    (if (i32.lt_u (local.get $off) (local.get $end))
      (then
        (v128.store (i32.add (local.get $y) (local.get $off))
          (f64x2.add (v128.load (i32.add (local.get $y) (local.get $off)))
                     (f64x2.mul (local.get $av) (v128.load (i32.add (local.get $x) (local.get $off)))))))))

  ;; Bit-sliced signs: out[i] = +s if bit (i mod 32) of the uint32 words[⌊i/32⌋] is 1, else −s,
  ;; for i < count rounded up to even (Rng.fillSigns' layout). Two elements per store from a
  ;; table of the four sign pairs, table[b] = (b & 1 ? s : −s, b & 2 ? s : −s), 16 bytes each;
  ;; four stores per step (one byte of the word), pair by pair in the last, partial word.
  (func (export "expand_signs") (param $count i32) (param $words i32) (param $table i32) (param $out i32)
    (local $end i32) (local $stop i32) (local $word i32)
    ;; Output bytes: count rounded up to even, 16 bytes per pair; 256 bytes (16 pairs) per word.
    (local.set $end (i32.add (local.get $out) (i32.shl (i32.shr_u (i32.add (local.get $count) (i32.const 1)) (i32.const 1)) (i32.const 4))))
    (block $done
      (loop $eachWord
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (local.set $word (i32.load (local.get $words)))
        (local.set $words (i32.add (local.get $words) (i32.const 4)))
        (local.set $stop (select (local.get $end) (i32.add (local.get $out) (i32.const 256))
          (i32.lt_u (i32.sub (local.get $end) (local.get $out)) (i32.const 256))))
        (block $bytesDone
          (loop $eachByte
            (br_if $bytesDone (i32.gt_u (i32.add (local.get $out) (i32.const 64)) (local.get $stop)))
            (v128.store (local.get $out)
              (v128.load (i32.add (local.get $table) (i32.shl (i32.and (local.get $word) (i32.const 3)) (i32.const 4)))))
            (v128.store offset=16 (local.get $out)
              (v128.load (i32.add (local.get $table) (i32.shl (i32.and (local.get $word) (i32.const 12)) (i32.const 2)))))
            (v128.store offset=32 (local.get $out)
              (v128.load (i32.add (local.get $table) (i32.and (local.get $word) (i32.const 48)))))
            (v128.store offset=48 (local.get $out)
              (v128.load (i32.add (local.get $table) (i32.shr_u (i32.and (local.get $word) (i32.const 192)) (i32.const 2)))))
            (local.set $word (i32.shr_u (local.get $word) (i32.const 8)))
            (local.set $out (i32.add (local.get $out) (i32.const 64)))
            (br $eachByte)))
        (block $wordDone
          (loop $eachPair
            (br_if $wordDone (i32.ge_u (local.get $out) (local.get $stop)))
            (v128.store (local.get $out)
              (v128.load (i32.add (local.get $table) (i32.shl (i32.and (local.get $word) (i32.const 3)) (i32.const 4)))))
            (local.set $word (i32.shr_u (local.get $word) (i32.const 2)))
            (local.set $out (i32.add (local.get $out) (i32.const 16)))
            (br $eachPair)))
        (br $eachWord))))

  ;; ---- Synapse populations (src/synapse/wasm-state.ts): one trial's update of every synapse ----
  ;; Over count slots rounded up to even (the arrays are 16-byte padded; the padding slot reads
  ;; Δw = v = 0 and its sums are never read), two synapses per step, each slot's arithmetic in
  ;; the order of the JavaScript loop it replaces, so the bits are the same.

  ;; The moment estimator (src/synapse/moment.ts, momentKernel), per synapse i:
  ;;   incG = dOdd Δw_i;                               cG += incG,  qG += incG²
  ;;   incZ = dEven (Δw_i (p − (ratio v_i) Δw_i) − meanY v_i);  cZ += incZ,  qZ += incZ²
  ;;   cH += dEven (Δw_i² − σ²)
  (func (export "moment_update")
    (param $count i32) (param $dOdd f64) (param $dEven f64) (param $p f64) (param $ratio f64) (param $s2 f64) (param $meanY f64)
    (param $dw i32) (param $v i32) (param $cG i32) (param $qG i32) (param $cZ i32) (param $qZ i32) (param $cH i32)
    (local $off i32) (local $end i32) (local $dwi v128) (local $vi v128) (local $inc v128)
    (local $odd v128) (local $even v128) (local $pv v128) (local $rv v128) (local $s2v v128) (local $my v128)
    (local.set $odd (f64x2.splat (local.get $dOdd)))
    (local.set $even (f64x2.splat (local.get $dEven)))
    (local.set $pv (f64x2.splat (local.get $p)))
    (local.set $rv (f64x2.splat (local.get $ratio)))
    (local.set $s2v (f64x2.splat (local.get $s2)))
    (local.set $my (f64x2.splat (local.get $meanY)))
    (local.set $end (i32.shl (i32.and (i32.add (local.get $count) (i32.const 1)) (i32.const -2)) (i32.const 3)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $off) (local.get $end)))
        (local.set $dwi (v128.load (i32.add (local.get $dw) (local.get $off))))
        (local.set $vi (v128.load (i32.add (local.get $v) (local.get $off))))
        (local.set $inc (f64x2.mul (local.get $odd) (local.get $dwi)))
        (v128.store (i32.add (local.get $cG) (local.get $off)) (f64x2.add (v128.load (i32.add (local.get $cG) (local.get $off))) (local.get $inc)))
        (v128.store (i32.add (local.get $qG) (local.get $off)) (f64x2.add (v128.load (i32.add (local.get $qG) (local.get $off))) (f64x2.mul (local.get $inc) (local.get $inc))))
        (local.set $inc
          (f64x2.mul (local.get $even)
            (f64x2.sub
              (f64x2.mul (local.get $dwi) (f64x2.sub (local.get $pv) (f64x2.mul (f64x2.mul (local.get $rv) (local.get $vi)) (local.get $dwi))))
              (f64x2.mul (local.get $my) (local.get $vi)))))
        (v128.store (i32.add (local.get $cZ) (local.get $off)) (f64x2.add (v128.load (i32.add (local.get $cZ) (local.get $off))) (local.get $inc)))
        (v128.store (i32.add (local.get $qZ) (local.get $off)) (f64x2.add (v128.load (i32.add (local.get $qZ) (local.get $off))) (f64x2.mul (local.get $inc) (local.get $inc))))
        (v128.store (i32.add (local.get $cH) (local.get $off))
          (f64x2.add (v128.load (i32.add (local.get $cH) (local.get $off)))
            (f64x2.mul (local.get $even) (f64x2.sub (f64x2.mul (local.get $dwi) (local.get $dwi)) (local.get $s2v)))))
        (local.set $off (i32.add (local.get $off) (i32.const 16)))
        (br $each))))

  ;; First-order WP (src/synapse/wp.ts), per synapse i, with d = Δw_i a and s = Δw_i²:
  ;;   sumDwDE += d, sumDw2 += s, sumD2 += d², sumDS += d s, sumDw4 += s².
  (func (export "wp_update")
    (param $count i32) (param $a f64) (param $dw i32)
    (param $sumDwDE i32) (param $sumDw2 i32) (param $sumD2 i32) (param $sumDS i32) (param $sumDw4 i32)
    (local $off i32) (local $end i32) (local $av v128) (local $dwi v128) (local $d v128) (local $s v128)
    (local.set $av (f64x2.splat (local.get $a)))
    (local.set $end (i32.shl (i32.and (i32.add (local.get $count) (i32.const 1)) (i32.const -2)) (i32.const 3)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $off) (local.get $end)))
        (local.set $dwi (v128.load (i32.add (local.get $dw) (local.get $off))))
        (local.set $d (f64x2.mul (local.get $dwi) (local.get $av)))
        (local.set $s (f64x2.mul (local.get $dwi) (local.get $dwi)))
        (v128.store (i32.add (local.get $sumDwDE) (local.get $off)) (f64x2.add (v128.load (i32.add (local.get $sumDwDE) (local.get $off))) (local.get $d)))
        (v128.store (i32.add (local.get $sumDw2) (local.get $off)) (f64x2.add (v128.load (i32.add (local.get $sumDw2) (local.get $off))) (local.get $s)))
        (v128.store (i32.add (local.get $sumD2) (local.get $off)) (f64x2.add (v128.load (i32.add (local.get $sumD2) (local.get $off))) (f64x2.mul (local.get $d) (local.get $d))))
        (v128.store (i32.add (local.get $sumDS) (local.get $off)) (f64x2.add (v128.load (i32.add (local.get $sumDS) (local.get $off))) (f64x2.mul (local.get $d) (local.get $s))))
        (v128.store (i32.add (local.get $sumDw4) (local.get $off)) (f64x2.add (v128.load (i32.add (local.get $sumDw4) (local.get $off))) (f64x2.mul (local.get $s) (local.get $s))))
        (local.set $off (i32.add (local.get $off) (i32.const 16)))
        (br $each))))

  ;; ---- Draws (src/random/rng.ts, fillZigguratGaussian): the ziggurat's fast path ----
  ;; out[k] for k from `from` while each draw passes the fast test; returns the index of the
  ;; first that misses (its word stored at state + 16) or count. Per draw one xoshiro128** word
  ;; u from the state's four int32 words at `state` (read first, written back at the end):
  ;;   u = rotl(5 s1, 7)·9;  t = s1 << 9;  s2 ^= s0, s3 ^= s1, s1 ^= s2, s0 ^= s3, s2 ^= t, s3 = rotl(s3, 11)
  ;; layer u & 127, abscissa m = u >>> 8; accept m < K_layer: out[k] = (scale (m W_layer)) (±1 by
  ;; bit 7 of u), the JavaScript loop's operations in its order (the same bytes). The wedge and
  ;; tail tests of a miss stay in JavaScript (Rng.zigguratMiss), then this continues from k + 1.
  (func (export "ziggurat_fast")
    (param $count i32) (param $from i32) (param $out i32) (param $state i32) (param $K i32) (param $W i32) (param $scale f64) (result i32)
    (local $k i32) (local $s0 i32) (local $s1 i32) (local $s2 i32) (local $s3 i32)
    (local $u i32) (local $t i32) (local $layer i32) (local $m f64)
    (local.set $s0 (i32.load (local.get $state)))
    (local.set $s1 (i32.load offset=4 (local.get $state)))
    (local.set $s2 (i32.load offset=8 (local.get $state)))
    (local.set $s3 (i32.load offset=12 (local.get $state)))
    (local.set $k (local.get $from))
    (block $done
      (loop $each
        (br_if $done (i32.ge_s (local.get $k) (local.get $count)))
        (local.set $u (i32.mul (i32.rotl (i32.mul (local.get $s1) (i32.const 5)) (i32.const 7)) (i32.const 9)))
        (local.set $t (i32.shl (local.get $s1) (i32.const 9)))
        (local.set $s2 (i32.xor (local.get $s2) (local.get $s0)))
        (local.set $s3 (i32.xor (local.get $s3) (local.get $s1)))
        (local.set $s1 (i32.xor (local.get $s1) (local.get $s2)))
        (local.set $s0 (i32.xor (local.get $s0) (local.get $s3)))
        (local.set $s2 (i32.xor (local.get $s2) (local.get $t)))
        (local.set $s3 (i32.rotl (local.get $s3) (i32.const 11)))
        (local.set $layer (i32.shl (i32.and (local.get $u) (i32.const 127)) (i32.const 3)))
        (local.set $m (f64.convert_i32_u (i32.shr_u (local.get $u) (i32.const 8))))
        (if (i32.eqz (f64.lt (local.get $m) (f64.load (i32.add (local.get $K) (local.get $layer)))))
          (then
            (i32.store offset=16 (local.get $state) (local.get $u))
            (br $done)))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $k) (i32.const 3)))
          (f64.mul
            (f64.mul (local.get $scale) (f64.mul (local.get $m) (f64.load (i32.add (local.get $W) (local.get $layer)))))
            (f64.convert_i32_s (i32.sub (i32.and (i32.shr_u (local.get $u) (i32.const 6)) (i32.const 2)) (i32.const 1)))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $each)))
    (i32.store (local.get $state) (local.get $s0))
    (i32.store offset=4 (local.get $state) (local.get $s1))
    (i32.store offset=8 (local.get $state) (local.get $s2))
    (i32.store offset=12 (local.get $state) (local.get $s3))
    (local.get $k))
)
