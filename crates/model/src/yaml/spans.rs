//! Index from a YAML path (`services.0.cle`) to the line and column of the
//! key and of the value, built from parser events with their markers.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// FxHash, the hasher of rustc: a span index holds one entry per YAML node
/// (over 100 000 for a territory of 2 000 communes) and SipHash was a fifth
/// of the load time. The input is the user's own files: no need for
/// SipHash's resistance to crafted collisions. Iteration order is never
/// used for output.
#[derive(Default, Clone, Copy)]
struct Fx(u64);

impl Fx {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

/// A path inside a YAML document: map keys and sequence indexes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Path(pub Vec<String>);

impl Path {
    pub fn root() -> Self {
        Path(Vec::new())
    }
    pub fn key(&self, k: impl ToString) -> Self {
        let mut p = self.0.clone();
        p.push(k.to_string());
        Path(p)
    }
    pub fn index(&self, i: usize) -> Self {
        self.key(i)
    }
    pub fn parent(&self) -> Option<Self> {
        if self.0.is_empty() {
            None
        } else {
            Some(Path(self.0[..self.0.len() - 1].to_vec()))
        }
    }
}

impl std::fmt::Display for Path {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join("."))
    }
}

/// Position of one node: where its key starts (for map entries) and where its
/// value starts, with the length of a scalar value in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodePos {
    pub key: Option<(usize, usize, usize)>,
    pub value: (usize, usize, usize),
}

#[derive(Debug, Default, Clone)]
pub struct SpanIndex {
    nodes: FxMap<Path, NodePos>,
    /// Keys written twice in one mapping, in document order. serde_yaml
    /// rejects a repeated field of a struct but silently keeps the last of a
    /// repeated key in a table (`valeurs`, `populations`…): both are
    /// reported from here.
    pub duplicates: Vec<DuplicateKey>,
}

/// A key repeated in one mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    pub key: String,
    /// The mapping, as serde_yaml writes paths (`membres[0].populations`);
    /// empty at the top level.
    pub within: String,
    /// (line, column, length) of the first and of the repeated key.
    pub first: (usize, usize, usize),
    pub repeated: (usize, usize, usize),
}

impl SpanIndex {
    /// Builds the index; a syntax error leaves a partial index (the syntax
    /// error itself is reported by serde_yaml).
    pub fn build(text: &str) -> Self {
        let mut b = Builder::default();
        let mut parser = Parser::new_from_str(text);
        let _ = parser.load(&mut b, false);
        // A quoted value is underlined with its quotes (the marker is on the
        // opening quote; the event only gives the unquoted text).
        let lines: Vec<&str> = text.split('\n').collect();
        for n in b.nodes.values_mut() {
            let (line, col, _) = n.value;
            let Some(l) = lines.get(line.wrapping_sub(1)) else { continue };
            let mut rest = l.chars().skip(col.saturating_sub(1));
            if let Some(q @ ('"' | '\'')) = rest.next() {
                if let Some(end) = rest.position(|c| c == q) {
                    n.value.2 = end + 2;
                }
            }
        }
        SpanIndex {
            nodes: b.nodes,
            duplicates: b.duplicates,
        }
    }

    /// Moves every position down by `lines` (front matter inside a file).
    pub fn shifted(mut self, lines: usize) -> Self {
        for n in self.nodes.values_mut() {
            n.value.0 += lines;
            if let Some(k) = n.key.as_mut() {
                k.0 += lines;
            }
        }
        for d in &mut self.duplicates {
            d.first.0 += lines;
            d.repeated.0 += lines;
        }
        self
    }

    pub fn get(&self, path: &Path) -> Option<NodePos> {
        self.nodes.get(path).copied()
    }

    /// (line, column, length) of the value at `path`, or of the closest
    /// ancestor that exists.
    pub fn value_pos(&self, path: &Path) -> Option<(usize, usize, usize)> {
        let mut p = Some(path.clone());
        while let Some(cur) = p {
            if let Some(n) = self.nodes.get(&cur) {
                return Some(n.value);
            }
            p = cur.parent();
        }
        None
    }

    /// The nodes strictly under `path`, at any depth, in no particular order
    /// (`mutu import` finds there where a mapping ends and how its entries
    /// are written).
    pub fn descendants<'a>(&'a self, path: &'a Path) -> impl Iterator<Item = (&'a Path, NodePos)> + 'a {
        self.nodes
            .iter()
            .filter(move |(p, _)| p.0.len() > path.0.len() && p.0.starts_with(&path.0))
            .map(|(p, n)| (p, *n))
    }

    /// (line, column, length) of the key of `path` (falls back to the value).
    pub fn key_pos(&self, path: &Path) -> Option<(usize, usize, usize)> {
        match self.nodes.get(path) {
            Some(NodePos { key: Some(k), .. }) => Some(*k),
            _ => self.value_pos(path),
        }
    }
}

enum Frame {
    Map {
        pending_key: Option<(String, (usize, usize, usize))>,
        /// Keys seen so far, with their position.
        seen: FxMap<String, (usize, usize, usize)>,
    },
    Seq {
        next: usize,
    },
}

#[derive(Default)]
struct Builder {
    nodes: FxMap<Path, NodePos>,
    stack: Vec<(Path, Frame)>,
    started: bool,
    duplicates: Vec<DuplicateKey>,
}

fn pos(mark: &Marker, len: usize) -> (usize, usize, usize) {
    // yaml-rust2 markers: 1-based line, 0-based column.
    (mark.line(), mark.col() + 1, len.max(1))
}

impl Builder {
    /// Path for a node that starts now, consuming the parent's pending key.
    fn place(&mut self) -> Option<(Path, Option<(usize, usize, usize)>)> {
        match self.stack.last_mut() {
            None => {
                if self.started {
                    None
                } else {
                    self.started = true;
                    Some((Path::root(), None))
                }
            }
            Some((path, Frame::Seq { next })) => {
                let p = path.index(*next);
                *next += 1;
                Some((p, None))
            }
            Some((path, Frame::Map { pending_key, .. })) => {
                let (k, kp) = pending_key.take()?;
                Some((path.key(k), Some(kp)))
            }
        }
    }

    /// Whether the next scalar in the current map is a key.
    fn expecting_key(&self) -> bool {
        matches!(self.stack.last(), Some((_, Frame::Map { pending_key: None, .. })))
    }

    /// The path of the innermost open container, written like serde_yaml
    /// (`membres[0].populations`).
    fn serde_path(&self) -> String {
        let mut out = String::new();
        for i in 1..self.stack.len() {
            let seg = self.stack[i].0 .0.last().map(String::as_str).unwrap_or_default();
            if matches!(self.stack[i - 1].1, Frame::Seq { .. }) {
                out.push_str(&format!("[{seg}]"));
            } else {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(seg);
            }
        }
        out
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(value, _, _, _) => {
                if self.expecting_key() {
                    let kp = pos(&mark, value.chars().count());
                    // The mapping's path is only written for a repeated key.
                    let first = match self.stack.last() {
                        Some((_, Frame::Map { seen, .. })) => seen.get(&value).copied(),
                        _ => None,
                    };
                    if let Some(first) = first {
                        let within = self.serde_path();
                        self.duplicates.push(DuplicateKey {
                            key: value.clone(),
                            within,
                            first,
                            repeated: kp,
                        });
                    }
                    if let Some((path, Frame::Map { pending_key, seen })) = self.stack.last_mut() {
                        if first.is_none() {
                            seen.insert(value.clone(), kp);
                        }
                        // A block mapping starts where its first key starts.
                        if let Some(n) = self.nodes.get_mut(path) {
                            if (kp.0, kp.1) < (n.value.0, n.value.1) {
                                n.value = (kp.0, kp.1, 1);
                            }
                        }
                        *pending_key = Some((value, kp));
                    }
                } else if let Some((path, key)) = self.place() {
                    let len = value.lines().next().map(|l| l.chars().count()).unwrap_or(0);
                    self.nodes.insert(path, NodePos { key, value: pos(&mark, len) });
                }
            }
            Event::Alias(_) => {
                if self.expecting_key() {
                    if let Some((_, Frame::Map { pending_key, .. })) = self.stack.last_mut() {
                        *pending_key = Some(("*".into(), pos(&mark, 1)));
                    }
                } else if let Some((path, key)) = self.place() {
                    self.nodes.insert(path, NodePos { key, value: pos(&mark, 1) });
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let is_map = matches!(ev, Event::MappingStart(..));
                let placed = if self.expecting_key() {
                    // complex key: index it under a placeholder
                    Some((Path(vec!["?".into()]), None))
                } else {
                    self.place()
                };
                if let Some((path, key)) = placed {
                    self.nodes.insert(path.clone(), NodePos { key, value: pos(&mark, 1) });
                    let frame = if is_map {
                        Frame::Map {
                            pending_key: None,
                            seen: FxMap::default(),
                        }
                    } else {
                        Frame::Seq { next: 0 }
                    };
                    self.stack.push((path, frame));
                }
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_keys_and_values() {
        let text = "epci:\n  nom: CAPLD\n  siren: \"242900801\"\nmembres:\n  - id: daoulas\n    insee: \"29043\"\n  - id: dirinon\n";
        let idx = SpanIndex::build(text);
        let p = Path::root().key("epci").key("siren");
        let n = idx.get(&p).unwrap();
        assert_eq!(n.key, Some((3, 3, 5)));
        assert_eq!(n.value, (3, 10, 11), "a quoted value is underlined with its quotes");
        let p = Path::root().key("membres").index(1).key("id");
        assert_eq!(idx.get(&p).unwrap().value, (7, 9, 7));
        assert_eq!(idx.value_pos(&Path::root().key("membres").index(1).key("absent")), Some((7, 5, 1)));
        assert!(idx.duplicates.is_empty());
    }

    #[test]
    fn finds_duplicate_keys() {
        let text = "membres:\n  - id: daoulas\n    populations:\n      2023: {municipale: 1833}\n      2023: {municipale: 1834}\n";
        let idx = SpanIndex::build(text);
        let d = DuplicateKey {
            key: "2023".into(),
            within: "membres[0].populations".into(),
            first: (4, 7, 4),
            repeated: (5, 7, 4),
        };
        assert_eq!(idx.duplicates, vec![d]);
    }
}
