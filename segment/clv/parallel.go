package clv

import (
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
)

// chunkRows is the number of rows one likelihood task sums. Chunk
// boundaries depend only on the number of rows, and chunk sums are added
// in chunk order, so results are bit-for-bit the same for any number of
// workers.
const chunkRows = 8192

// chunkedSum evaluates f on consecutive row ranges [lo, hi) of [0, n),
// each writing k partial sums into out (zeroed), on up to workers
// goroutines (0: GOMAXPROCS), and returns the sums added in chunk order
// into dst (length k). buf is scratch space, grown as needed and returned.
func chunkedSum(n, k, workers int, buf []float64, dst []float64, f func(lo, hi int, out []float64)) []float64 {
	chunks := (n + chunkRows - 1) / chunkRows
	if cap(buf) < chunks*k {
		buf = make([]float64, chunks*k)
	}
	buf = buf[:chunks*k]
	clear(buf)
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, chunks)
	run := func(c int) {
		lo := c * chunkRows
		f(lo, min(lo+chunkRows, n), buf[c*k:(c+1)*k])
	}
	if workers <= 1 {
		for c := range chunks {
			run(c)
		}
	} else {
		var next atomic.Int64
		var wg sync.WaitGroup
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					c := int(next.Add(1)) - 1
					if c >= chunks {
						return
					}
					run(c)
				}
			}()
		}
		wg.Wait()
	}
	clear(dst)
	for c := range chunks {
		for j := range k {
			dst[j] += buf[c*k+j]
		}
	}
	return buf
}

// blockOf returns the index of the block containing row i.
func blockOf(blocks []xBlock, i int) int {
	return sort.Search(len(blocks), func(b int) bool { return blocks[b].end > i })
}
