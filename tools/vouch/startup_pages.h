// Gives back the start-up's code pages before a long computation, so that the process's peak resident set counts
// the code the computation runs, not the code that ran once at start.
//
// Why: a short `vouch advocates` run (Enron, ~10 ms of selection) peaks at about 12.6 MB, and about 5 MB of it is
// read-only file pages of the executable and the shared libraries (libstdc++, libc, libm, TBB) that the dynamic
// loader, the static initialisers and the command-line parsing touched, each first touch mapping up to 64 KiB of
// cached neighbours with it (the kernel's fault-around). Most of them are never touched again. Unmapped once
// start-up is over, they stay in the page cache; the few the computation needs come back on first touch as minor
// faults (no I/O), with their own fault-around. Enron rows: peak -1.9 to -2.5 MB, the selection's time and
// instructions unchanged; the cost is 3-4 ms more process CPU near idle (7-10 ms at load 10), outside the
// selection (docs/benchmarks.md, "Session 11: start-up pages given back before the selection").
//
// What is dropped: every mapping of a file that is neither writable nor holds a private (copy-on-write) page,
// i.e. pages that are byte for byte the file's (the executable's and libraries' code, read-only data, symbol
// tables). madvise(MADV_DONTNEED) on such a mapping only unmaps; the next access reads the same bytes from the
// page cache. A mapping with a private page (relocated read-only data after RELRO, code a debugger patched with a
// breakpoint) would revert to the file's bytes, so it is left alone, as are writable and anonymous mappings.
// Mappings created after the call (the graph cache) are not affected.
//
// Thread safety: call while no other thread of the process creates or changes file mappings; other threads may
// run (they fault the pages they need back in). Best effort: errors (no /proc, a sealed mapping) leave the
// process as it was, and the result is only the number of bytes unmapped (for tests and records).
#pragma once

#include <cstdint>

namespace vouch::cli {

// Unmaps the resident, unmodified pages of this process's read-only file mappings (see above). Returns the
// mappings' total size in bytes that was given to madvise successfully (not the resident part).
uint64_t ReleaseStartupPages();

}  // namespace vouch::cli
