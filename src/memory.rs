//! The allocator, and keeping the build's resident memory near its live data.
//!
//! mimalloc, not the system's: the search index is built from tens of millions of small,
//! growing allocations (token streams, posting buffers, coded lists), and glibc's malloc and
//! free took 15–18% of a full build's CPU on the 1× benchmark corpus. With mimalloc the build
//! takes about a quarter less wall time there (measured on tmpfs, to leave file creation out),
//! at more peak memory, within the budget: 5% more at 1× (173 against 165 MB), 13–15% at 3×
//! (377–386 against 334 MB; see docs/performance-history.md, session 10). It is built with `no_thp`,
//! so it does not ask for transparent huge pages for its memory: asking, the 1× peak was 190 MB.

use std::os::raw::{c_int, c_long};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

extern "C" {
    fn mi_option_set(option: c_int, value: c_long);
    fn mi_option_get(option: c_int) -> c_long;
    fn mi_collect(force: bool);
}

/// `mi_option_purge_delay` in mimalloc 3's `mi_option_t` (include/mimalloc.h): how long freed
/// memory is kept before it is returned to the system, 1000 ms unless set.
const PURGE_DELAY: c_int = 15;

/// Called first in `main`. Freed memory goes back to the system after 100 ms, not a second:
/// the build frees large pieces (each page's HTML, each batch of indexed texts) while the
/// index grows, and a second's worth of them adds 20–25 MB to the peak on the 1× corpus.
/// Shorter delays cost more system time than they save memory (10 ms: 0.2 s more at 1×).
/// A delay set in the environment (mimalloc reads it when the process loads) is left as set.
pub fn init() {
    if PURGE_DELAY_VARIABLES.iter().any(|v| std::env::var_os(v).is_some()) {
        return;
    }
    // SAFETY: sets a plain integer option; called before the build starts its threads.
    unsafe { mi_option_set(PURGE_DELAY, 100) };
}

/// The option's environment variables, by its name and its former name.
const PURGE_DELAY_VARIABLES: [&str; 2] = ["MIMALLOC_PURGE_DELAY", "MIMALLOC_RESET_DELAY"];

/// Held over a build: once [`Ending::keep_freed`] is called, memory freed is kept rather than
/// handed back to the system, until this is dropped. A build is done then and only frees what
/// it held, and the process usually ends next: handing that back took a `madvise` per span,
/// some 90 at the end of a rebuild at 1× (a few milliseconds; over 2 × 24 alternating rebuilds
/// the difference was within this machine's noise, 0.93× and 1.01× per pair). Dropped last, it
/// hands back again what later builds in the same process free (the benches').
pub struct Ending {
    delay: c_long,
}

impl Default for Ending {
    fn default() -> Ending {
        // SAFETY: reads a plain integer option.
        Ending { delay: unsafe { mi_option_get(PURGE_DELAY) } }
    }
}

impl Ending {
    pub fn keep_freed(&self) {
        // SAFETY: sets a plain integer option; a negative delay means never.
        unsafe { mi_option_set(PURGE_DELAY, -1) };
    }
}

impl Drop for Ending {
    fn drop(&mut self) {
        // SAFETY: sets a plain integer option back as it was.
        unsafe { mi_option_set(PURGE_DELAY, self.delay) };
    }
}

/// Hands memory this thread freed back to the system without waiting for the purge delay,
/// and what mimalloc holds for the whole process that is free by then: called where the most
/// has just been freed (after a slice of bodies is rendered, between the index's batches).
/// Other threads' heaps are left to the delay.
pub fn release_freed() {
    // SAFETY: collects the calling thread's heap; safe at any point outside the allocator.
    unsafe { mi_collect(true) };
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Guards the option's number against a mimalloc whose option list has moved: no other
    /// option near it defaults to 1000 (`init` is not called in tests). Then freed memory is
    /// kept from `keep_freed` until the end of the build, and handed back as before afterwards
    /// (one test: both read the option).
    #[test]
    fn the_purge_delay_is_the_option_set_and_an_ending_keeps_freed_memory() {
        let delay = || unsafe { mi_option_get(PURGE_DELAY) };
        if PURGE_DELAY_VARIABLES.iter().all(|v| std::env::var_os(v).is_none()) {
            assert_eq!(delay(), 1000);
        }
        let before = delay();
        let ending = Ending::default();
        assert_eq!(delay(), before, "handed back as before while the build runs");
        ending.keep_freed();
        assert_eq!(delay(), -1);
        drop(ending);
        assert_eq!(delay(), before);
    }
}
