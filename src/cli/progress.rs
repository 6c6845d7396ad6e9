//! The progress line of bulk tagging on standard error (`indicatif`), shown only when standard
//! error is a terminal: articles, megabytes, articles per second, and an ETA when the input's
//! size is known.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A live progress line.
#[derive(Debug)]
pub(super) struct Progress {
    bar: ProgressBar,
    articles: std::sync::atomic::AtomicU64,
}

impl Progress {
    /// Starts the line; `total` is the input size in bytes when known.
    pub fn start(total: Option<u64>) -> Self {
        let (bar, template) = match total {
            Some(total) => (
                ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr()),
                "{elapsed_precise} [{bar:24}] {decimal_bytes}/{decimal_total_bytes} \
                 {decimal_bytes_per_sec} · {msg} · ETA {eta}",
            ),
            None => (
                ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
                "{spinner} {elapsed_precise} {decimal_bytes} {decimal_bytes_per_sec} · {msg}",
            ),
        };
        // The templates are constants: a bad one is a programming error caught by the tests,
        // and the default style is a harmless fallback.
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.enable_steady_tick(Duration::from_millis(200));
        Self {
            bar,
            articles: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// Counts a written batch.
    pub fn advance(&self, bytes: u64, articles: u64) {
        let done = self
            .articles
            .fetch_add(articles, std::sync::atomic::Ordering::Relaxed)
            + articles;
        self.bar.inc(bytes);
        let seconds = self.bar.elapsed().as_secs_f64().max(1e-3);
        self.bar.set_message(format!(
            "{done} articles, {:.0} articles/s",
            done as f64 / seconds
        ));
    }

    /// Runs `f` (a write to standard error) with the line cleared, then redraws it.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        self.bar.suspend(f)
    }

    /// Leaves a final summary line.
    pub fn finish(self) {
        let seconds = self.bar.elapsed().as_secs_f64().max(1e-3);
        let articles = self.articles.load(std::sync::atomic::Ordering::Relaxed);
        let megabytes = self.bar.position() as f64 / 1e6;
        self.bar.finish_and_clear();
        eprintln!(
            "newstag: tagged {articles} articles, {megabytes:.1} MB in {seconds:.1} s \
             ({:.0} articles/s, {:.1} MB/s)",
            articles as f64 / seconds,
            megabytes / seconds
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_templates_parse() {
        for total in [Some(10), None] {
            let progress = Progress::start(total);
            progress.advance(5, 2);
            assert_eq!(progress.bar.position(), 5);
            assert_eq!(
                progress.articles.load(std::sync::atomic::Ordering::Relaxed),
                2
            );
            progress.bar.finish_and_clear();
        }
    }
}
