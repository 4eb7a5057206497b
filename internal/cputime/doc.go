// Package cputime reads the process's CPU time, so that benchmarks on a
// shared machine can report CPU time per operation next to wall time
// (wall time there measures the neighbours as much as the code).
package cputime
