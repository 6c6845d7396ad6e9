//! Interrupting a tagging in progress: a request's deadline, a caller that went away, or a
//! server that is shutting down.
//!
//! Tagging runs on a blocking thread that nobody can kill from outside, so it must stop by
//! itself: the stages check an [`Interrupt`] between them and every few KiB (or every few
//! hundred items) inside the long ones. A check is one relaxed atomic load and, with a
//! deadline, one clock read: cheap enough to do often, so a 1 MiB article stops within
//! milliseconds of its deadline instead of burning a core for seconds after the answer went
//! out.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// Why a tagging stopped before its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InterruptReason {
    /// The request's deadline (the client's, or `--request-timeout`) passed.
    DeadlineExceeded,
    /// The caller went away (cancelled call, closed stream).
    Cancelled,
    /// The server's shutdown grace ran out.
    ShuttingDown,
}

impl InterruptReason {
    /// The metric label of this reason.
    pub fn label(self) -> &'static str {
        match self {
            Self::DeadlineExceeded => "deadline",
            Self::Cancelled => "cancelled",
            Self::ShuttingDown => "shutdown",
        }
    }
}

/// When a tagging must stop. The default never interrupts (the CLI and evaluation).
#[derive(Debug, Clone, Default)]
pub struct Interrupt {
    deadline: Option<Instant>,
    /// Set by whoever owns the request: a guard dropped with an abandoned call.
    cancelled: Option<Arc<AtomicBool>>,
    /// Set once for the whole server when the shutdown grace runs out.
    shutdown: Option<Arc<AtomicBool>>,
}

impl Interrupt {
    /// Never interrupts.
    pub fn never() -> Self {
        Self::default()
    }

    /// Interrupts at `deadline`.
    pub fn at(deadline: Instant) -> Self {
        Self {
            deadline: Some(deadline),
            ..Self::default()
        }
    }

    /// Also interrupts once `flag` is set.
    pub fn or_cancelled(mut self, flag: Arc<AtomicBool>) -> Self {
        self.cancelled = Some(flag);
        self
    }

    /// Also interrupts once the server-wide `flag` is set.
    pub fn or_shutdown(mut self, flag: Arc<AtomicBool>) -> Self {
        self.shutdown = Some(flag);
        self
    }

    /// `Err` with the reason once the tagging must stop.
    #[inline]
    pub fn check(&self) -> Result<(), InterruptReason> {
        let set = |flag: &Option<Arc<AtomicBool>>| {
            flag.as_ref()
                .is_some_and(|flag| flag.load(Ordering::Relaxed))
        };
        let cancelled = set(&self.cancelled);
        let shutdown = set(&self.shutdown);
        // A deadline that passed is the reason even when the flag is set too: a handler dropped
        // at its deadline sets the flag as it goes.
        if self.deadline.is_some_and(|d| Instant::now() >= d) {
            return Err(InterruptReason::DeadlineExceeded);
        }
        if shutdown {
            return Err(InterruptReason::ShuttingDown);
        }
        if cancelled {
            return Err(InterruptReason::Cancelled);
        }
        Ok(())
    }
}

/// How many bytes of a field the long loops walk between checks: a few microseconds of work.
pub(crate) const CHECK_EVERY_BYTES: usize = 4 << 10;

/// How many items (candidates, mentions) the long loops handle between checks.
pub(crate) const CHECK_EVERY_ITEMS: usize = 256;

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn reasons() {
        assert_eq!(Interrupt::never().check(), Ok(()));
        let past = Instant::now()
            .checked_sub(Duration::from_millis(1))
            .unwrap_or_else(Instant::now);
        assert_eq!(
            Interrupt::at(past).check(),
            Err(InterruptReason::DeadlineExceeded)
        );
        let far = Instant::now() + Duration::from_secs(3600);
        let flag = Arc::new(AtomicBool::new(false));
        let interrupt = Interrupt::at(far).or_cancelled(flag.clone());
        assert_eq!(interrupt.check(), Ok(()));
        flag.store(true, Ordering::Relaxed);
        assert_eq!(interrupt.check(), Err(InterruptReason::Cancelled));
        let shutdown = Arc::new(AtomicBool::new(true));
        assert_eq!(
            Interrupt::never().or_shutdown(shutdown).check(),
            Err(InterruptReason::ShuttingDown)
        );
    }
}
