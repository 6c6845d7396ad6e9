//! The ordered parallel pipeline behind `newstag tag --jsonl`: one reader, N workers, one
//! writer, and a fixed set of batches circulating between them.
//!
//! # Why batches circulate
//! The reader can only fill a batch the writer has handed back, so at most [`Pipeline::window`]
//! batches exist at once: however large the input and however slow one article, memory stays
//! flat and the reorder buffer (batches done out of turn, waiting for an earlier one) never
//! holds more than the window. Output stays in input order because the writer emits batches by
//! sequence number. A batch's buffers (its lines, its output) are reused when it comes back, so
//! a long run allocates them once.
//!
//! With one thread there is no pipeline at all: read, process and write alternate on the
//! calling thread, so `--threads 1` uses one core.

use std::collections::BTreeMap;
use std::io::{self, BufRead};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

/// Lines per batch at most: enough to make the hand-offs negligible against tagging.
const BATCH_LINES: usize = 64;
/// Bytes of input per batch at most (a batch always takes at least one line, however long).
const BATCH_BYTES: usize = 256 * 1024;
/// Batches in flight per worker thread (being read, tagged, or waiting to be written).
const WINDOW_PER_THREAD: usize = 4;

/// A run of input lines and what processing them produced.
#[derive(Debug, Default)]
pub(super) struct Batch {
    /// Line number (1-based) of the batch's first line in its input.
    pub first_line: usize,
    text: Vec<u8>,
    ends: Vec<usize>,
    /// What to write to standard output for these lines, in order.
    pub out: Vec<u8>,
    /// Diagnostics for standard error, in order.
    pub diagnostics: Vec<u8>,
    /// Non-blank lines processed.
    pub items: usize,
    /// Lines that answered with an error.
    pub failed: usize,
    /// Processing panicked: `out` is incomplete and the sink must answer for the lines.
    pub panicked: bool,
}

impl Batch {
    /// The batch's lines, without their line terminators, with their 1-based numbers.
    pub fn lines(&self) -> impl Iterator<Item = (usize, &[u8])> + '_ {
        let mut start = 0;
        self.ends.iter().enumerate().map(move |(i, &end)| {
            let mut line = &self.text[start..end];
            start = end;
            if let Some(stripped) = line.strip_suffix(b"\n") {
                line = stripped;
            }
            if let Some(stripped) = line.strip_suffix(b"\r") {
                line = stripped;
            }
            (self.first_line + i, line)
        })
    }

    /// Input bytes the batch covers.
    pub fn input_bytes(&self) -> usize {
        self.text.len()
    }

    fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
        self.out.clear();
        self.diagnostics.clear();
        self.items = 0;
        self.failed = 0;
        self.panicked = false;
        // A batch that once held a huge line gives the memory back.
        for buffer in [&mut self.text, &mut self.out, &mut self.diagnostics] {
            if buffer.capacity() > 4 * BATCH_BYTES {
                buffer.shrink_to(BATCH_BYTES);
            }
        }
    }

    /// Reads up to a batch of lines: whether it holds any, and the read error that ended it
    /// (the lines read before an error are still processed and written).
    fn fill(
        &mut self,
        reader: &mut dyn BufRead,
        next_line: &mut usize,
    ) -> (bool, Option<io::Error>) {
        self.clear();
        self.first_line = *next_line;
        while self.ends.len() < BATCH_LINES && self.text.len() < BATCH_BYTES {
            let before = self.text.len();
            match reader.read_until(b'\n', &mut self.text) {
                Ok(0) => break,
                Ok(_) => {
                    self.ends.push(self.text.len());
                    *next_line += 1;
                }
                Err(error) => {
                    // A partial line is not a line.
                    self.text.truncate(before);
                    return (!self.ends.is_empty(), Some(error));
                }
            }
        }
        (!self.ends.is_empty(), None)
    }
}

/// Runs `process` on `batch`; a panic (a bug) marks the batch instead of stopping the run or,
/// worse, leaving the writer waiting for a batch that never comes.
fn guarded<P: Fn(&mut Batch)>(process: &P, batch: &mut Batch) {
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| process(batch)));
    if outcome.is_err() {
        batch.panicked = true;
    }
}

/// Why a pipeline run stopped early.
#[derive(Debug)]
pub(super) enum Stopped {
    /// Reading the input failed at this line.
    Read { line: usize, error: io::Error },
    /// The sink refused a batch (a closed pipe, a full disk).
    Write(io::Error),
}

/// How many threads process batches.
#[derive(Debug, Clone, Copy)]
pub(super) struct Pipeline {
    pub threads: usize,
}

impl Pipeline {
    /// Batches in flight at once.
    pub fn window(self) -> usize {
        self.threads.max(1) * WINDOW_PER_THREAD
    }

    /// Reads `reader` in batches, runs `process` on each (on `threads` threads), and hands the
    /// batches to `sink` in input order.
    pub fn run<P, S>(
        self,
        reader: &mut dyn BufRead,
        process: &P,
        sink: &mut S,
    ) -> Result<(), Stopped>
    where
        P: Fn(&mut Batch) + Sync,
        S: FnMut(&Batch) -> io::Result<()> + Send,
    {
        let mut next_line = 1;
        if self.threads <= 1 {
            let mut batch = Batch::default();
            loop {
                let (any, error) = batch.fill(reader, &mut next_line);
                if any {
                    guarded(process, &mut batch);
                    sink(&batch).map_err(Stopped::Write)?;
                }
                if let Some(error) = error {
                    return Err(Stopped::Read {
                        line: next_line,
                        error,
                    });
                }
                if !any {
                    return Ok(());
                }
            }
        }
        let window = self.window();
        let (free_tx, free_rx) = mpsc::sync_channel::<Batch>(window);
        for _ in 0..window {
            // The channel holds the whole window: these sends never block.
            let _ = free_tx.send(Batch::default());
        }
        let (work_tx, work_rx) = mpsc::sync_channel::<(u64, Batch)>(window);
        let work_rx = Arc::new(Mutex::new(work_rx));
        let (done_tx, done_rx) = mpsc::channel::<(u64, Batch)>();
        std::thread::scope(|scope| {
            for _ in 0..self.threads {
                let work_rx = Arc::clone(&work_rx);
                let done_tx = done_tx.clone();
                scope.spawn(move || {
                    loop {
                        // The lock is held only to take the next batch, never while processing.
                        let next = match work_rx.lock() {
                            Ok(receiver) => receiver.recv(),
                            Err(_) => return,
                        };
                        let Ok((seq, mut batch)) = next else { return };
                        guarded(process, &mut batch);
                        if done_tx.send((seq, batch)).is_err() {
                            return;
                        }
                    }
                });
            }
            drop(done_tx);
            let writer = scope.spawn(move || {
                let mut waiting: BTreeMap<u64, Batch> = BTreeMap::new();
                let mut next = 0u64;
                for (seq, batch) in done_rx {
                    waiting.insert(seq, batch);
                    while let Some(batch) = waiting.remove(&next) {
                        sink(&batch)?;
                        next += 1;
                        // The reader may be gone (end of input): the batch is simply dropped.
                        let _ = free_tx.send(batch);
                    }
                }
                Ok::<(), io::Error>(())
            });
            let mut read = Ok(());
            let mut seq = 0u64;
            // A failed writer drops its end of `free`: `recv` fails and reading stops.
            while let Ok(mut batch) = free_rx.recv() {
                let (any, error) = batch.fill(reader, &mut next_line);
                if any {
                    if work_tx.send((seq, batch)).is_err() {
                        break;
                    }
                    seq += 1;
                }
                if let Some(error) = error {
                    read = Err(Stopped::Read {
                        line: next_line,
                        error,
                    });
                    break;
                }
                if !any {
                    break;
                }
            }
            drop(work_tx);
            drop(free_rx);
            let written = match writer.join() {
                Ok(result) => result.map_err(Stopped::Write),
                Err(panic) => std::panic::resume_unwind(panic),
            };
            // Output already written stays; a write failure outranks a read failure after it.
            written.and(read)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbered(lines: usize) -> String {
        (1..=lines).map(|i| format!("line {i}\n")).collect()
    }

    /// Upper-cases each line, slower for some lines so batches finish out of turn.
    fn process(batch: &mut Batch) {
        let mut outputs = Vec::new();
        for (number, line) in batch.lines() {
            if number % 7 == 0 {
                std::thread::sleep(std::time::Duration::from_micros(200));
            }
            outputs.push(format!(
                "{number}:{}\n",
                String::from_utf8_lossy(line).to_uppercase()
            ));
        }
        for output in outputs {
            batch.out.extend_from_slice(output.as_bytes());
            batch.items += 1;
        }
    }

    fn run(input: &str, threads: usize) -> String {
        let mut out = Vec::new();
        let mut sink = |batch: &Batch| {
            out.extend_from_slice(&batch.out);
            Ok(())
        };
        Pipeline { threads }
            .run(&mut input.as_bytes(), &process, &mut sink)
            .expect("runs");
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn output_keeps_input_order_on_any_thread_count() {
        let input = numbered(1_000);
        let expected: String = (1..=1_000).map(|i| format!("{i}:LINE {i}\n")).collect();
        for threads in [1, 2, 3, 8] {
            assert_eq!(run(&input, threads), expected, "{threads} threads");
        }
    }

    #[test]
    fn line_numbers_and_terminators() {
        let out = run("a\r\nb\n\nc", 2);
        assert_eq!(out, "1:A\n2:B\n3:\n4:C\n");
        assert_eq!(run("", 2), "");
    }

    /// Counts the lines handed out, shared with the test.
    struct Counting<'a> {
        inner: &'a [u8],
        handed: Arc<std::sync::atomic::AtomicUsize>,
    }

    impl io::Read for Counting<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.inner.len().min(buf.len()).min(512);
            buf[..n].copy_from_slice(&self.inner[..n]);
            self.inner = &self.inner[n..];
            self.handed.fetch_add(
                buf[..n].iter().filter(|&&b| b == b'\n').count(),
                std::sync::atomic::Ordering::SeqCst,
            );
            Ok(n)
        }
    }

    #[test]
    fn a_stalled_batch_stops_the_reader_at_the_window() {
        // The first batch stalls; the reader may run ahead by the window and no further, so
        // memory stays flat whatever the input size.
        let input = numbered(100_000);
        let handed = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let seen_while_stalled = std::sync::atomic::AtomicUsize::new(0);
        let stalling = |batch: &mut Batch| {
            if batch.first_line == 1 {
                std::thread::sleep(std::time::Duration::from_millis(100));
                seen_while_stalled.store(
                    handed.load(std::sync::atomic::Ordering::SeqCst),
                    std::sync::atomic::Ordering::SeqCst,
                );
            }
            process(batch);
        };
        let mut lines = 0;
        let mut sink = |batch: &Batch| {
            lines += batch.items;
            Ok(())
        };
        let pipeline = Pipeline { threads: 2 };
        let mut reader = io::BufReader::with_capacity(
            512,
            Counting {
                inner: input.as_bytes(),
                handed: Arc::clone(&handed),
            },
        );
        pipeline
            .run(&mut reader, &stalling, &mut sink)
            .expect("runs");
        assert_eq!(lines, 100_000);
        let bound = (pipeline.window() + 1) * BATCH_LINES + 512;
        let seen = seen_while_stalled.load(std::sync::atomic::Ordering::SeqCst);
        assert!(
            seen <= bound,
            "read {seen} lines ahead of a stalled batch (window {bound})"
        );
    }

    #[test]
    fn a_failing_sink_stops_the_run() {
        let input = numbered(5_000);
        let mut written = 0;
        let mut sink = |_: &Batch| {
            written += 1;
            if written == 3 {
                Err(io::Error::new(io::ErrorKind::BrokenPipe, "closed"))
            } else {
                Ok(())
            }
        };
        let result = Pipeline { threads: 2 }.run(&mut input.as_bytes(), &process, &mut sink);
        assert!(matches!(result, Err(Stopped::Write(_))));
        assert_eq!(written, 3);
    }

    #[test]
    fn a_panicking_batch_is_marked_and_the_run_goes_on() {
        let input = numbered(1_000);
        let panicky = |batch: &mut Batch| {
            if batch.first_line == 1 + BATCH_LINES {
                panic!("a bug");
            }
            process(batch);
        };
        for threads in [1, 2] {
            let mut marked = Vec::new();
            let mut lines = 0;
            let mut sink = |batch: &Batch| {
                if batch.panicked {
                    marked.push(batch.first_line);
                } else {
                    lines += batch.items;
                }
                Ok(())
            };
            Pipeline { threads }
                .run(&mut input.as_bytes(), &panicky, &mut sink)
                .expect("runs to the end");
            assert_eq!(marked, [1 + BATCH_LINES], "{threads} threads");
            assert_eq!(lines, 1_000 - BATCH_LINES);
        }
    }

    /// A reader failing after the first batch.
    struct Failing(usize);

    impl io::Read for Failing {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.0 += 1;
            if self.0 > 1 {
                return Err(io::Error::other("disk on fire"));
            }
            let data = numbered(10);
            buf[..data.len()].copy_from_slice(data.as_bytes());
            Ok(data.len())
        }
    }

    #[test]
    fn a_read_error_keeps_what_was_read_and_names_the_line() {
        for threads in [1, 2] {
            let mut reader = io::BufReader::new(Failing(0));
            let mut out = Vec::new();
            let mut sink = |batch: &Batch| {
                out.extend_from_slice(&batch.out);
                Ok(())
            };
            let result = Pipeline { threads }.run(&mut reader, &process, &mut sink);
            match result {
                Err(Stopped::Read { line, error }) => {
                    assert_eq!(error.to_string(), "disk on fire");
                    assert!(line >= 1, "{line}");
                }
                other => panic!("{other:?}"),
            }
        }
    }
}
