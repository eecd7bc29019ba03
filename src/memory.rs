//! The allocator, and keeping the build's resident memory near its live data.
//!
//! mimalloc, not the system's: the search index is built from tens of millions of small,
//! growing allocations (token streams, posting buffers, coded lists), and glibc's malloc and
//! free took 15–18% of a full build's CPU on the 1× benchmark corpus. With mimalloc the build
//! takes about a quarter less wall time there (measured on tmpfs, to leave file creation out),
//! at 10–15% more peak memory, within the budget (see the README's performance section). It is
//! built without transparent huge pages (`no_thp`): with them, the 1× peak was 190 MB, not 173.

use std::os::raw::{c_int, c_long};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

extern "C" {
    fn mi_option_set(option: c_int, value: c_long);
    fn mi_collect(force: bool);
}

/// `mi_option_purge_delay` in mimalloc 3's `mi_option_t` (include/mimalloc.h): how long freed
/// memory is kept before it is returned to the system, 1000 ms unless set.
const PURGE_DELAY: c_int = 15;

/// Called first in `main`. Freed memory goes back to the system after 100 ms, not a second:
/// the build frees large pieces (each page's HTML, each batch of indexed texts) while the
/// index grows, and a second's worth of them adds 20–25 MB to the peak on the 1× corpus.
/// Shorter delays cost more system time than they save memory (10 ms: 0.2 s more at 1×).
pub fn init() {
    // SAFETY: sets a plain integer option; called before the build starts its threads.
    unsafe { mi_option_set(PURGE_DELAY, 100) };
}

/// Hands memory this thread freed since the last call back to the system, without waiting
/// for the purge delay: called between the index's batches and when a key partition is
/// written and dropped, the points where the most has just been freed.
pub fn release_freed() {
    // SAFETY: collects the calling thread's heap; safe at any point outside the allocator.
    unsafe { mi_collect(true) };
}

#[cfg(test)]
mod tests {
    use super::*;

    extern "C" {
        fn mi_option_get(option: c_int) -> c_long;
    }

    /// Guards the option's number against a mimalloc whose option list has moved: no other
    /// option near it defaults to 1000. `init` is not called in tests.
    #[test]
    fn purge_delay_is_the_option_set() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(unsafe { mi_option_get(PURGE_DELAY) }, 1000);
        }
    }
}
