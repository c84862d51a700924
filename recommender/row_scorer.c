/* The exact plan's two inner loops, for x86-64 CPUs with AVX2, FMA and F16C.
 *
 * Built by `python -m recommender.row_scorer build` (scripts/bootstrap.sh runs it) and
 * loaded with ctypes; recommender/row_scorer.py says why and falls back to torch where it
 * cannot be built or the CPU lacks the instructions. The file compiles without -m flags:
 * only the functions marked SIMD use AVX2, and Python calls them only after
 * `row_scorer_supported()` has checked the CPU at run time.
 */
#include <immintrin.h>
#include <stdint.h>

#define SIMD __attribute__((target("avx2,fma,f16c")))
/* Rows fetched this many rows ahead: each float16 row of 384 dims is 12 cache lines at a
 * scattered address, so the loop is bound by memory latency unless several are in flight. */
#define PREFETCH_AHEAD 8

int row_scorer_supported(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
}

/* Writes the index of every non-zero byte of mask[0..count) to rows, ascending; returns
 * how many. Reads 32 bytes at a time and skips all-zero blocks (most of them when the
 * filters are selective). rows must have room for count entries. */
SIMD int64_t mask_rows(const uint8_t *mask, int64_t count, int64_t *rows) {
  int64_t found = 0, i = 0;
  const __m256i zero = _mm256_setzero_si256();
  for (; i + 32 <= count; i += 32) {
    __m256i block = _mm256_loadu_si256((const __m256i *)(mask + i));
    uint32_t set = ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(block, zero));
    while (set) {
      rows[found++] = i + __builtin_ctz(set);
      set &= set - 1;
    }
  }
  for (; i < count; i++)
    if (mask[i]) rows[found++] = i;
  return found;
}

/* scores[i] = <matrix[rows[i]], query> for float16 rows of `dim` values, accumulated in
 * float32: the same numbers as widening each row to float32 first, without the copy. */
SIMD void fp16_row_dots(const uint16_t *matrix, int64_t dim, const int64_t *rows, int64_t count,
                        const float *query, float *scores) {
  for (int64_t i = 0; i < count; i++) {
    if (i + PREFETCH_AHEAD < count) {
      const char *ahead = (const char *)(matrix + rows[i + PREFETCH_AHEAD] * dim);
      for (int64_t byte = 0; byte < dim * 2; byte += 64) _mm_prefetch(ahead + byte, _MM_HINT_T0);
    }
    const uint16_t *row = matrix + rows[i] * dim;
    __m256 even = _mm256_setzero_ps(), odd = _mm256_setzero_ps();
    int64_t j = 0;
    for (; j + 16 <= dim; j += 16) {
      even = _mm256_fmadd_ps(_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(row + j))),
                             _mm256_loadu_ps(query + j), even);
      odd = _mm256_fmadd_ps(_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(row + j + 8))),
                            _mm256_loadu_ps(query + j + 8), odd);
    }
    __m256 sum8 = _mm256_add_ps(even, odd);
    __m128 sum4 = _mm_add_ps(_mm256_castps256_ps128(sum8), _mm256_extractf128_ps(sum8, 1));
    sum4 = _mm_add_ps(sum4, _mm_movehl_ps(sum4, sum4));
    float total = _mm_cvtss_f32(_mm_add_ss(sum4, _mm_movehdup_ps(sum4)));
    for (; j < dim; j++) total += _cvtsh_ss(row[j]) * query[j];
    scores[i] = total;
  }
}
