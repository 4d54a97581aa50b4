//! A small element tree over `quick-xml`, for list files (a few MB at most): the importers
//! walk elements by name, and every element keeps its byte offset for located errors.

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use crate::diagnostic::{Code, Diagnostic};
use crate::source::SourceFile;

/// One element: its local name (namespace prefix dropped), attributes, children and the text
/// directly inside it (entity and character references resolved, trimmed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Element>,
    pub text: String,
    /// Byte offset of the start tag in the file.
    pub offset: usize,
    /// Byte offset just after the element's end tag (or its empty tag).
    pub end: usize,
}

impl Element {
    /// The first child named `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child named `name`.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The text of the first child named `name`, if not empty.
    pub fn text_of(&self, name: &str) -> Option<&str> {
        self.child(name)
            .map(|c| c.text.as_str())
            .filter(|t| !t.is_empty())
    }

    /// An attribute's value (by local name).
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether the element has neither text, attributes nor non-empty children.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty() && self.attrs.is_empty() && self.children.iter().all(Self::is_empty)
    }

    /// The element written back compactly (`NAME[attr=v](text; CHILD(...))`), for fragments
    /// kept verbatim.
    pub fn verbatim(&self) -> String {
        let mut s = self.name.clone();
        for (k, v) in &self.attrs {
            s.push_str(&format!("[{k}={v}]"));
        }
        let mut inner: Vec<String> = Vec::new();
        if !self.text.is_empty() {
            inner.push(self.text.clone());
        }
        inner.extend(
            self.children
                .iter()
                .filter(|c| !c.is_empty())
                .map(Self::verbatim),
        );
        if !inner.is_empty() {
            s.push_str(&format!("({})", inner.join("; ")));
        }
        s
    }
}

fn local(name: &[u8]) -> String {
    let s = String::from_utf8_lossy(name);
    match s.rsplit_once(':') {
        Some((_, l)) => l.to_string(),
        None => s.into_owned(),
    }
}

fn open(e: &BytesStart, offset: usize, file: &SourceFile) -> Result<Element, Diagnostic> {
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|x| error(file, offset, format!("a malformed attribute: {x}")))?;
        let v = a
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|x| error(file, offset, format!("an attribute value: {x}")))?;
        attrs.push((local(a.key.as_ref()), v.into_owned()));
    }
    Ok(Element {
        name: local(e.name().as_ref()),
        attrs,
        offset,
        ..Element::default()
    })
}

fn error(file: &SourceFile, offset: usize, msg: String) -> Diagnostic {
    Diagnostic::error(
        Code::ListRow,
        &file.loc(offset..offset),
        format!("not well-formed XML: {msg}"),
    )
}

/// The deepest nesting of elements read. Published lists nest a few levels; the tree is
/// dropped and written back (`verbatim`) recursively, so a deeper file is refused rather than
/// allowed to overflow the stack.
pub const MAX_DEPTH: usize = 100;

/// Parse a whole document into its root element. The first well-formedness error stops the
/// parse (after it nothing can be trusted) and is located at its line and column.
pub fn parse(file: &SourceFile) -> Result<Element, Diagnostic> {
    let mut reader = Reader::from_str(file.text());
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let at = reader.buffer_position() as usize;
        let ev = reader
            .read_event()
            .map_err(|e| error(file, reader.error_position() as usize, e.to_string()))?;
        match ev {
            Event::Start(_) if stack.len() >= MAX_DEPTH => {
                return Err(Diagnostic::error(
                    Code::LimitExceeded,
                    &file.loc(at..at),
                    format!("elements nested more than {MAX_DEPTH} deep: not a list file"),
                ));
            }
            Event::Start(e) => stack.push(open(&e, at, file)?),
            Event::Empty(e) => {
                let mut el = open(&e, at, file)?;
                el.end = reader.buffer_position() as usize;
                attach(&mut stack, &mut root, el, file, at)?;
            }
            Event::End(_) => {
                let Some(mut el) = stack.pop() else {
                    return Err(error(file, at, "a closing tag with no opening tag".into()));
                };
                el.text = el.text.trim().to_string();
                el.end = reader.buffer_position() as usize;
                attach(&mut stack, &mut root, el, file, at)?;
            }
            Event::Text(t) => {
                let s = t
                    .xml10_content()
                    .map_err(|e| error(file, at, e.to_string()))?;
                push_text(&mut stack, &s);
            }
            Event::CData(t) => {
                let s = t.decode().map_err(|e| error(file, at, e.to_string()))?;
                push_text(&mut stack, &s);
            }
            Event::GeneralRef(r) => {
                let name = r.decode().map_err(|e| error(file, at, e.to_string()))?;
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => quick_xml::escape::resolve_predefined_entity(&name)
                        .map(str::to_string)
                        .ok_or_else(|| error(file, at, format!("an unknown entity `&{name};`")))?,
                    Err(e) => return Err(error(file, at, e.to_string())),
                };
                push_text(&mut stack, &resolved);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(error(
            file,
            file.text().len(),
            format!("the file ends inside `<{}>` (cut short?)", open.name),
        ));
    }
    root.ok_or_else(|| error(file, 0, "no root element".into()))
}

/// All the text inside an element, its descendants' included, in document order (mixed
/// content such as `<Text>a <Language>b</Language> c</Text>` gives `a b c`), whitespace runs
/// collapsed. The element was read from `file` by [`parse`], so its span is well-formed.
pub fn deep_text(file: &SourceFile, el: &Element) -> String {
    let Some(span) = file.text().get(el.offset..el.end) else {
        return el.text.clone();
    };
    let mut reader = Reader::from_str(span);
    let mut out = String::new();
    loop {
        match reader.read_event() {
            Ok(Event::Text(t)) => out.push_str(&t.xml10_content().unwrap_or_default()),
            Ok(Event::CData(t)) => out.push_str(&t.decode().unwrap_or_default()),
            Ok(Event::GeneralRef(r)) => {
                let name = r.decode().unwrap_or_default().into_owned();
                match r.resolve_char_ref() {
                    Ok(Some(c)) => out.push(c),
                    _ => out.push_str(
                        quick_xml::escape::resolve_predefined_entity(&name).unwrap_or_default(),
                    ),
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn push_text(stack: &mut [Element], s: &str) {
    if let Some(top) = stack.last_mut() {
        top.text.push_str(s);
    }
}

fn attach(
    stack: &mut [Element],
    root: &mut Option<Element>,
    el: Element,
    file: &SourceFile,
    at: usize,
) -> Result<(), Diagnostic> {
    match stack.last_mut() {
        Some(parent) => parent.children.push(el),
        None if root.is_none() => *root = Some(el),
        None => return Err(error(file, at, "a second root element".into())),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::diagnostic::DiagnosticText as _;

    #[test]
    fn references_are_resolved_and_offsets_kept() {
        let f = SourceFile::new(
            "t.xml",
            "<a x=\"1&amp;2\">\n  <b>R&amp;D &#233;</b><c/></a>",
        );
        let a = parse(&f).unwrap_or_default();
        assert_eq!(a.attr("x"), Some("1&2"));
        assert_eq!(a.text_of("b"), Some("R&D é"));
        assert_eq!(f.line_col(a.children[0].offset).0, 2);
    }

    #[test]
    fn a_cut_file_is_a_located_error() {
        let f = SourceFile::new("t.xml", "<a>\n<b>x</b>\n<c>");
        let e = parse(&f).err().map(|d| d.render()).unwrap_or_default();
        assert!(e.contains("t.xml:3"), "{e}");
        assert!(e.contains("cut short"), "{e}");
    }
}
