//! Where gazetteer files come from: a directory on disk or the set bundled into the binary.
//! Both become the same sorted list of [`SourceFile`]s, so everything after this point treats
//! them identically.

use std::path::{Path, PathBuf};

use super::error::GazetteerError;

/// One file of a gazetteer, read whole.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the gazetteer root, with `/` separators: what the version hash covers.
    pub relative: String,
    /// Path shown in errors (the path on disk, or `gazetteers/<relative>` for the bundled set).
    pub display: String,
    /// The file's bytes; decoding is validated line by line later.
    pub bytes: Vec<u8>,
}

/// What a file in a gazetteer directory is, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `*.tsv`: entity rows.
    Entities,
    /// `*.topics`: the topic lexicon (topics, hierarchy, keywords).
    Topics,
    /// `*.stop`: stop phrases, one per line.
    StopPhrases,
    /// `*.words`: common lower-case words, one per line; a one-word form that is one of them
    /// needs evidence where only its position capitalises it.
    CommonWords,
    /// `*.cues`: name cues (`cue<TAB>word`), the evidence that types names no row holds.
    NameCues,
    /// `*.model`: a topic classifier written by `newstag topics train`.
    TopicModel,
    /// `*.categories`: which topics an entity's category is evidence for
    /// (`category<TAB>topic<TAB>weight`).
    CategoryTopics,
}

impl FileKind {
    /// The kind of a file by its name; `None` for files the gazetteer ignores (README, SOURCES).
    pub fn of(relative: &str) -> Option<Self> {
        if relative.ends_with(".tsv") {
            Some(Self::Entities)
        } else if relative.ends_with(".topics") {
            Some(Self::Topics)
        } else if relative.ends_with(".stop") {
            Some(Self::StopPhrases)
        } else if relative.ends_with(".words") {
            Some(Self::CommonWords)
        } else if relative.ends_with(".cues") {
            Some(Self::NameCues)
        } else if relative.ends_with(".model") {
            Some(Self::TopicModel)
        } else if relative.ends_with(".categories") {
            Some(Self::CategoryTopics)
        } else {
            None
        }
    }
}

mod bundled {
    include!(concat!(env!("OUT_DIR"), "/bundled_gazetteers.rs"));
}

/// The gazetteer files embedded at build time from `gazetteers/`.
pub fn bundled_files() -> Vec<SourceFile> {
    bundled::BUNDLED
        .iter()
        .filter(|(relative, _)| FileKind::of(relative).is_some())
        .map(|(relative, bytes)| SourceFile {
            relative: (*relative).to_owned(),
            display: format!("gazetteers/{relative}"),
            bytes: bytes.to_vec(),
        })
        .collect()
}

/// Reads every gazetteer file below `root`, in sorted relative-path order.
///
/// Names starting with `.` are skipped: they are editors' temporary files and, in a Kubernetes
/// ConfigMap volume, the `..data` and `..<timestamp>` directories whose contents the visible
/// per-file symlinks already point to. Symlinks are followed.
pub fn read_dir(root: &Path) -> Result<Vec<SourceFile>, GazetteerError> {
    let display_root = root.display().to_string();
    if !root.is_dir() {
        return Err(GazetteerError::single(
            display_root,
            None,
            "not a directory",
        ));
    }
    let mut paths = Vec::new();
    collect(root, &mut paths)?;
    let mut files: Vec<SourceFile> = Vec::with_capacity(paths.len());
    for path in paths {
        let relative = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if FileKind::of(&relative).is_none() {
            continue;
        }
        let display = path.display().to_string();
        let bytes = std::fs::read(&path).map_err(|error| {
            GazetteerError::single(&display, None, format!("cannot read: {error}"))
        })?;
        files.push(SourceFile {
            relative,
            display,
            bytes,
        });
    }
    files.sort_by(|a, b| a.relative.cmp(&b.relative));
    // Said here, where the directory is known: the compiler only sees the files.
    if !files.iter().any(|f| f.relative.ends_with(".tsv")) {
        return Err(GazetteerError::single(
            display_root,
            None,
            "no *.tsv entity files in this directory (nor below it)",
        ));
    }
    Ok(files)
}

fn collect(dir: &Path, paths: &mut Vec<PathBuf>) -> Result<(), GazetteerError> {
    let entries = std::fs::read_dir(dir).map_err(|error| {
        GazetteerError::single(
            dir.display().to_string(),
            None,
            format!("cannot list: {error}"),
        )
    })?;
    for entry in entries {
        let entry = entry.map_err(|error| {
            GazetteerError::single(
                dir.display().to_string(),
                None,
                format!("cannot list: {error}"),
            )
        })?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            collect(&path, paths)?;
        } else {
            paths.push(path);
        }
    }
    Ok(())
}
