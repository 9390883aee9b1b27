//! Turns serde_yaml's English errors into French diagnostics with the file,
//! line and column, what was expected and a hint.

use mutu_base::codes::Code;
use mutu_base::diagnostic::{Diagnostic, Loc};
use mutu_base::suggest::did_you_mean;
use serde::de::DeserializeOwned;
use std::path::Path;

/// Parses one YAML document into `T`, or a French diagnostic.
pub fn parse<T: DeserializeOwned>(file: &Path, text: &str) -> Result<T, Diagnostic> {
    if text.lines().all(|l| l.trim().is_empty() || l.trim_start().starts_with('#')) {
        return Err(Diagnostic::error(Code::FichierVide, "le fichier ne contient aucune donnée")
            .at(Some(Loc::file(file)))
            .expected("un document YAML décrivant les données attendues pour ce fichier")
            .hint("complétez le fichier (voir « mutu aide format ») ou, s'il est facultatif, supprimez-le"));
    }
    if let Some((line, col, c)) = control_character(text) {
        return Err(Diagnostic::error(Code::CaractereInterdit, format!("caractère de contrôle interdit (U+{:04X})", c as u32))
            .at(Some(Loc::new(file, line, col, 1)))
            .expected("du texte : lettres, chiffres, ponctuation, espaces, tabulations et retours à la ligne")
            .hint("le fichier contient un caractère invisible ou des données binaires : ouvrez-le dans un éditeur de texte et supprimez ce caractère, ou vérifiez qu'il s'agit bien d'un fichier YAML"));
    }
    if let Some((line, col)) = flow_too_deep(text) {
        // libyaml's scanner is quadratic in the nesting of `[` and `{`: a
        // file nested thousands of levels deep would take minutes.
        return Err(Diagnostic::error(
            Code::ImbricationExcessive,
            format!("syntaxe YAML refusée : plus de {MAX_FLOW_DEPTH} niveaux de crochets ou d'accolades imbriqués"),
        )
        .at(Some(Loc::new(file, line, col, 1)))
        .expected(format!(
            "au plus {MAX_FLOW_DEPTH} niveaux imbriqués (les données de mutu n'en demandent que quelques-uns)"
        ))
        .hint("vérifiez les crochets [ ] et les accolades { } : il en manque sans doute un fermant, ou le fichier n'est pas un fichier de données mutu"));
    }
    serde_yaml::from_str(text).map_err(|e| translate(file, text, &e))
}

/// The first character YAML forbids in a document (C0 controls but tab,
/// line feed and carriage return; DEL; C1 controls but NEL), with its line
/// and column (1-based).
pub fn control_character(text: &str) -> Option<(usize, usize, char)> {
    text.split('\n').enumerate().find_map(|(i, l)| {
        l.chars()
            .enumerate()
            .find(|(_, c)| matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}' | '\u{80}'..='\u{84}' | '\u{86}'..='\u{9f}'))
            .map(|(j, c)| (i + 1, j + 1, c))
    })
}

/// Deepest nesting of flow collections (`[…]`, `{…}`) accepted.
pub const MAX_FLOW_DEPTH: usize = 64;

/// Position (line, column, 1-based) of the first `[` or `{` opening a flow
/// collection deeper than [`MAX_FLOW_DEPTH`], if any. A linear scan that
/// skips comments and quoted text; outside a flow collection, a bracket
/// only counts where a value starts (so `titre: a[b` is plain text).
pub fn flow_too_deep(text: &str) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    for (i, l) in text.split('\n').enumerate() {
        // Immediately previous character and last non-blank one on the line.
        let (mut prev, mut last): (Option<char>, Option<char>) = (None, None);
        let mut chars = l.chars().enumerate().peekable();
        while let Some((j, c)) = chars.next() {
            let blank_before = prev.is_none_or(|p| p == ' ' || p == '\t');
            let value_start = if depth > 0 {
                matches!(last, None | Some('[' | '{' | ',' | ':' | '?'))
            } else {
                blank_before && matches!(last, None | Some(':' | '-' | '?'))
            };
            match c {
                '#' if blank_before => break,
                '"' | '\'' if value_start => {
                    // Skip the quoted text (it may not end on this line:
                    // then the rest of the line is text too).
                    while let Some((_, n)) = chars.next() {
                        if c == '"' && n == '\\' {
                            chars.next();
                        } else if n == c {
                            if c == '\'' && chars.peek().is_some_and(|(_, x)| *x == '\'') {
                                chars.next();
                            } else {
                                break;
                            }
                        }
                    }
                    prev = Some(c);
                    last = Some('x');
                    continue;
                }
                '[' | '{' if value_start => {
                    depth += 1;
                    if depth > MAX_FLOW_DEPTH {
                        return Some((i + 1, j + 1));
                    }
                }
                ']' | '}' if depth > 0 => depth -= 1,
                _ => {}
            }
            prev = Some(c);
            if c != ' ' && c != '\t' {
                last = Some(c);
            }
        }
    }
    None
}

/// Translates a serde_yaml error.
pub fn translate(file: &Path, text: &str, e: &serde_yaml::Error) -> Diagnostic {
    let raw = e.to_string();
    let (path, msg) = split_message(&raw);
    let loc = e.location().map(|l| {
        let len = token_len(text, l.line(), l.column());
        Loc::new(file, l.line(), l.column(), len)
    });
    let loc = loc.or_else(|| Some(Loc::file(file)));
    let where_ = if path.is_empty() { String::new() } else { format!(" (dans `{path}`)") };

    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let (field, expected) = split_ticked(rest);
        let options = ticked_list(&expected);
        let d = Diagnostic::error(Code::CleInconnue, format!("clé inconnue « {field} »{where_}"))
            .at(loc)
            .expected(if options.is_empty() {
                "aucune clé à cet endroit".to_string()
            } else {
                format!("une des clés : {}", options.join(", "))
            });
        return d
            .maybe_hint(did_you_mean(&field, options.iter().map(String::as_str)))
            .or_hint("vérifiez l'orthographe : les clés sont en minuscules, sans accents, avec des tirets bas (« mutu aide format »)");
    }
    if let Some(rest) = msg.strip_prefix("unknown variant `") {
        let (value, expected) = split_ticked(rest);
        let options = ticked_list(&expected);
        let d = Diagnostic::error(Code::ValeurInconnue, format!("valeur « {value} » non reconnue{where_}"))
            .at(loc)
            .expected(format!("une des valeurs : {}", options.join(", ")));
        return d
            .maybe_hint(did_you_mean(&value, options.iter().map(String::as_str)))
            .or_hint("la liste des valeurs admises figure dans « mutu aide format »");
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let (field, _) = split_ticked(rest);
        return Diagnostic::error(Code::ChampManquant, format!("champ obligatoire « {field} » absent{where_}"))
            .at(loc)
            .expected(format!("une clé `{field}:` à ce niveau"))
            .hint(format!("ajoutez `{field}: …` (voir « mutu aide {field} »)"));
    }
    if let Some(rest) = msg.strip_prefix("duplicate field `") {
        let (field, _) = split_ticked(rest);
        return Diagnostic::error(Code::CleEnDouble, format!("la clé « {field} » apparaît deux fois{where_}"))
            .at(loc)
            .expected("chaque clé une seule fois par bloc")
            .hint("supprimez ou fusionnez l'une des deux occurrences");
    }
    if msg.starts_with("duplicate entry") {
        return Diagnostic::error(
            Code::CleEnDouble,
            format!("entrée en double{where_} : {}", msg.trim_start_matches("duplicate entry ")),
        )
        .at(loc)
        .expected("chaque clé une seule fois par bloc")
        .hint("supprimez ou fusionnez l'une des deux occurrences");
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        let (unexp, exp) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return Diagnostic::error(Code::TypeInvalide, format!("type de valeur incorrect{where_} : {}", unexpected_fr(unexp)))
            .at(loc)
            .expected(expected_fr(exp))
            .hint(type_hint(exp));
    }
    if let Some(rest) = msg.strip_prefix("invalid value: ") {
        let (unexp, exp) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return Diagnostic::error(Code::ValeurInvalide, format!("valeur incorrecte{where_} : {}", unexpected_fr(unexp)))
            .at(loc)
            .expected(expected_fr(exp))
            .hint(type_hint(exp));
    }
    if let Some(rest) = msg.strip_prefix("invalid length ") {
        let (n, exp) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return Diagnostic::error(Code::LongueurInvalide, format!("nombre d'éléments incorrect{where_} : {n}"))
            .at(loc)
            .expected(expected_fr(exp))
            .hint("vérifiez le nombre d'éléments de la liste");
    }
    if msg.starts_with("mutu:") {
        // A message from one of our own deserializers, already in French:
        // "mutu:<code>|<message>|<attendu>|<aide>".
        let mut parts = msg.trim_start_matches("mutu:").splitn(4, '|');
        // Any code of the catalogue crosses serde; an unknown text (a
        // message that merely looks like ours) is an invalid value.
        let code = parts.next().and_then(Code::depuis).unwrap_or(Code::ValeurInvalide);
        let message = parts.next().unwrap_or_default();
        let mut d = Diagnostic::error(code, format!("{message}{where_}")).at(loc);
        if let Some(a) = parts.next().filter(|s| !s.is_empty()) {
            d = d.expected(a);
        }
        if let Some(h) = parts.next().filter(|s| !s.is_empty()) {
            d = d.hint(h);
        }
        return d;
    }
    // Anything else is a syntax error reported by the YAML scanner.
    if let Some((line, col)) = e.location().and_then(|l| unclosed_quote(text, &raw, l.line(), l.column())) {
        let quote = char_at(text, line, col).unwrap_or('"');
        return Diagnostic::error(Code::SyntaxeYaml, format!("syntaxe YAML invalide : guillemet {quote} ouvert mais jamais fermé"))
            .at(Some(Loc::new(file, line, col, 1)))
            .expected(format!("un guillemet {quote} fermant sur la même ligne, à la fin de la valeur"))
            .hint(format!(
                "ajoutez le guillemet {quote} qui ferme cette valeur (sinon le texte se poursuit jusqu'au guillemet suivant du fichier)"
            ));
    }
    if let Some(l) = e.location().filter(|l| char_at(text, l.line(), l.column()) == Some('\t')) {
        return Diagnostic::error(Code::SyntaxeYaml, "syntaxe YAML invalide : tabulation interdite dans l'indentation")
            .at(Some(Loc::new(file, l.line(), l.column(), 1)))
            .expected("une indentation faite d'espaces uniquement")
            .hint("remplacez les tabulations par des espaces (deux espaces par niveau)");
    }
    Diagnostic::error(Code::SyntaxeYaml, format!("syntaxe YAML invalide : {}", syntax_fr(&msg)))
        .at(loc)
        .expected("un document YAML bien formé (clé: valeur, listes avec « - », indentation par espaces)")
        .hint(syntax_hint(&msg))
}

fn char_at(text: &str, line: usize, column: usize) -> Option<char> {
    text.split('\n').nth(line.checked_sub(1)?)?.chars().nth(column.checked_sub(1)?)
}

/// Where the quote that was never closed opens, when a syntax error at
/// (line, column) is caused by one: either the scanner reached the end of the
/// file inside a quoted value (libyaml names it in the message's context), or
/// the quoted value ran on over the next lines to the next quote of the file
/// (libyaml accepts that and fails further on; yaml-rust2's stricter scanner
/// stops at the quote).
fn unclosed_quote(text: &str, raw: &str, line: usize, column: usize) -> Option<(usize, usize)> {
    if let Some(ctx) = raw.split("while scanning a quoted scalar at line ").nth(1) {
        let (l, c) = ctx.split_once(" column ")?;
        let c: String = c.chars().take_while(char::is_ascii_digit).collect();
        return Some((l.trim().parse().ok()?, c.parse().ok()?));
    }
    let mut scanner = yaml_rust2::scanner::Scanner::new(text.chars());
    scanner.by_ref().for_each(drop);
    let e = scanner.get_error()?;
    // yaml-rust2 markers: 1-based line, 0-based column.
    let at = (e.marker().line(), e.marker().col() + 1);
    (e.info().contains("quoted scalar") && at.0 < line && at <= (line, column) && matches!(char_at(text, at.0, at.1), Some('"' | '\''))).then_some(at)
}

pub use mutu_base::scalaire::{custom_error, custom_message};

trait OrHint {
    fn or_hint(self, h: &str) -> Self;
}
impl OrHint for Diagnostic {
    fn or_hint(mut self, h: &str) -> Self {
        if self.aide.is_none() {
            self.aide = Some(h.to_string());
        }
        self
    }
}

/// serde_yaml prints "path: message at line L column C".
fn split_message(raw: &str) -> (String, String) {
    let mut msg = raw.to_string();
    if let Some(i) = msg.rfind(" at line ") {
        if msg[i..].contains(" column ") {
            msg.truncate(i);
        }
    }
    if let Some((head, tail)) = msg.split_once(": ") {
        let is_path = !head.contains(' ') && !head.is_empty() && !head.starts_with("mutu");
        if is_path {
            return (head.to_string(), tail.to_string());
        }
    }
    (String::new(), msg)
}

fn split_ticked(rest: &str) -> (String, String) {
    match rest.split_once('`') {
        Some((name, tail)) => (name.to_string(), tail.trim_start_matches(", ").to_string()),
        None => (rest.to_string(), String::new()),
    }
}

fn ticked_list(s: &str) -> Vec<String> {
    s.split('`').skip(1).step_by(2).map(str::to_string).collect()
}

fn unexpected_fr(u: &str) -> String {
    let u = u.trim();
    if let Some(s) = u.strip_prefix("string ") {
        return format!("le texte « {} »", s.trim_matches('"'));
    }
    if let Some(s) = u.strip_prefix("integer ") {
        // "`99999999999999999999999` as u128": a number beyond 64 bits.
        let s = s.split(" as ").next().unwrap_or(s);
        return format!("le nombre entier {}", s.trim_matches('`'));
    }
    if let Some(s) = u.strip_prefix("floating point ") {
        return format!("le nombre {}", s.trim_matches('`'));
    }
    if let Some(s) = u.strip_prefix("boolean ") {
        return format!("la valeur logique {}", s.trim_matches('`'));
    }
    match u {
        "map" => "un bloc de clés".into(),
        "sequence" => "une liste".into(),
        "unit value" => "une valeur vide".into(),
        "null" => "une valeur vide".into(),
        other => other.to_string(),
    }
}

fn expected_fr(e: &str) -> String {
    let e = e.trim();
    if e.starts_with("mutu:") {
        return e.trim_start_matches("mutu:").to_string();
    }
    match e {
        "a string" | "string" => "du texte".into(),
        "u8" | "u16" | "u32" | "u64" | "usize" => "un nombre entier positif".into(),
        "i8" | "i16" | "i32" | "i64" | "isize" => "un nombre entier".into(),
        "f32" | "f64" => "un nombre".into(),
        "a boolean" => "oui ou non (true / false)".into(),
        "a sequence" => "une liste (éléments précédés de « - »)".into(),
        "a map" => "un bloc de clés".into(),
        "" => "une valeur du type documenté".into(),
        other if other.starts_with("struct ") => "un bloc de clés (clé: valeur)".into(),
        other if other.starts_with("a sequence") || other.starts_with("tuple") => "une liste".into(),
        other if other.starts_with("enum ") => "une des valeurs documentées".into(),
        other => other.to_string(),
    }
}

fn type_hint(exp: &str) -> String {
    let exp = exp.trim();
    if exp.starts_with("struct ") || exp == "a map" {
        "écrivez les champs sur les lignes suivantes, indentés de deux espaces (voir « mutu aide format »)".into()
    } else if exp.starts_with("a sequence") {
        "écrivez chaque élément sur sa propre ligne, précédé de « - »".into()
    } else if exp == "a string" {
        "mettez le texte entre guillemets s'il ressemble à un nombre ou à une date".into()
    } else {
        "voir « mutu aide format » pour le type attendu de ce champ".into()
    }
}

fn syntax_fr(msg: &str) -> String {
    let m = msg.trim();
    let known = [
        ("did not find expected key", "clé attendue introuvable"),
        ("mapping values are not allowed in this context", "« : » inattendu à cet endroit"),
        ("found character that cannot start any token", "caractère qui ne peut pas commencer une valeur"),
        ("did not find expected '-' indicator", "élément de liste « - » attendu"),
        ("found unexpected end of stream", "fin de fichier inattendue"),
        ("found undefined tag handle", "étiquette YAML inconnue"),
        ("did not find expected node content", "valeur attendue introuvable"),
        ("could not find expected ':'", "« : » attendu après la clé"),
        ("found a tab character", "tabulation interdite dans l'indentation"),
        ("block sequence entries are not allowed in this context", "élément de liste « - » mal placé"),
        ("found unknown escape character", "séquence d'échappement inconnue entre guillemets"),
        ("recursion limit exceeded", "imbrication trop profonde"),
        ("unknown anchor", "ancre YAML inconnue"),
        ("invalid leading UTF-8 octet", "octet UTF-8 invalide"),
        ("control characters are not allowed", "caractère de contrôle interdit"),
        ("did not find expected ',' or ']'", "« , » ou « ] » attendu : liste entre crochets non fermée"),
        ("did not find expected ',' or '}'", "« , » ou « } » attendu : table entre accolades non fermée"),
        (
            "did not find expected comment or line break",
            "fin de ligne ou commentaire attendu après la valeur",
        ),
        (
            "did not find expected alphabetic or numeric character",
            "nom d'ancre ou d'alias (« & », « * ») invalide",
        ),
        ("did not find expected <document start>", "contenu inattendu après la fin du document"),
        (
            "found unexpected document indicator",
            "« --- » ou « ... » inattendu dans un texte entre guillemets",
        ),
        (
            "found invalid Unicode character escape code",
            "séquence d'échappement Unicode invalide entre guillemets",
        ),
        (
            "did not find expected hexdecimal number",
            "chiffres hexadécimaux attendus dans la séquence d'échappement",
        ),
        (
            "found an indentation indicator equal to 0",
            "indicateur d'indentation 0 interdit après « | » ou « > »",
        ),
        ("did not find URI escaped octet", "étiquette YAML invalide"),
        ("did not find expected tag URI", "étiquette YAML invalide"),
        ("did not find expected '!'", "étiquette YAML invalide"),
        ("found duplicate %YAML directive", "directive %YAML en double"),
        ("found incompatible YAML document", "version de YAML non prise en charge"),
        ("found unknown directive name", "directive YAML inconnue"),
        ("more than one document", "plusieurs documents YAML (séparés par « --- ») dans un même fichier"),
        ("repetition limit exceeded", "trop de répétitions d'alias"),
    ];
    for (en, fr) in known {
        if m.contains(en) {
            return fr.to_string();
        }
    }
    // Not translated: the parser's own words, quoted, without the position
    // (the diagnostic gives it).
    let detail = match m.find(" at line ") {
        Some(i) => {
            let reste = &m[i + " at line ".len()..];
            let fin = reste.find(',').map_or(m.len(), |j| i + " at line ".len() + j);
            format!("{}{}", &m[..i], &m[fin..])
        }
        None => m.to_string(),
    };
    format!("erreur de syntaxe (message de l'analyseur YAML : « {detail} »)")
}

fn syntax_hint(msg: &str) -> String {
    if msg.contains("tab") {
        "remplacez les tabulations par des espaces".into()
    } else if msg.contains("mapping values") {
        "vérifiez l'indentation de cette ligne (alignée sur les clés du même bloc) ; si la valeur contient « : », mettez-la entre guillemets".into()
    } else if msg.contains("cannot start any token") {
        "mettez entre guillemets une valeur qui commence par @, ` ou %".into()
    } else {
        "vérifiez l'indentation (espaces uniquement, alignée avec les lignes voisines) et les guillemets".into()
    }
}

/// Length of the token starting at (line, column), to underline it.
fn token_len(text: &str, line: usize, column: usize) -> usize {
    let Some(l) = text.split('\n').nth(line.saturating_sub(1)) else { return 1 };
    let rest: String = l.chars().skip(column.saturating_sub(1)).collect();
    // A quoted value: underline it up to its closing quote.
    if let Some(q @ ('"' | '\'')) = rest.chars().next() {
        if let Some(end) = rest.chars().skip(1).position(|c| c == q) {
            return end + 2;
        }
    }
    // A plain value of a block (after "key: " or "- "): up to the end of the
    // line or a comment, spaces included.
    let before: String = l.chars().take(column.saturating_sub(1)).collect();
    let is_key = rest.contains(": ") || rest.trim_end().ends_with(':');
    let is_value = match before.trim_end().chars().last() {
        Some(':') => true,
        Some('-') => !is_key,
        _ => false,
    } && before.ends_with(' ')
        && !l.contains(['{', '[']);
    if is_value {
        let value = rest.split(" #").next().unwrap_or_default().trim_end();
        return value.chars().count().max(1);
    }
    let n = rest
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != ':' && *c != ',' && *c != ']' && *c != '}')
        .count();
    n.max(1)
}

#[cfg(test)]
mod tests {

    /// Any code of the catalogue crosses serde with its message, expected
    /// value and hint (no list of codes allowed through any more).
    #[test]
    fn a_deserializers_code_reaches_the_diagnostic() {
        use super::{custom_error, parse, Code};
        struct Refuse;
        impl<'de> serde::Deserialize<'de> for Refuse {
            fn deserialize<D: serde::Deserializer<'de>>(_: D) -> Result<Self, D::Error> {
                Err(custom_error(Code::SiretInvalide, "SIRET refusé", "14 chiffres", "recopiez l'avis de situation"))
            }
        }
        let d = parse::<Refuse>(std::path::Path::new("data/territoire.yaml"), "siret: 1\n").err().unwrap();
        assert_eq!(d.code, Code::SiretInvalide);
        assert!(d.message.starts_with("SIRET refusé"), "{}", d.message);
        assert_eq!(d.attendu.as_deref(), Some("14 chiffres"));
        assert_eq!(d.aide.as_deref(), Some("recopiez l'avis de situation"));
    }

    #[test]
    fn flow_nesting_is_bounded() {
        let deep = |n: usize| format!("titre: x\nmandat: {}1{}\n", "{a: ".repeat(n), "}".repeat(n));
        assert_eq!(flow_too_deep(&deep(MAX_FLOW_DEPTH)), None);
        assert_eq!(flow_too_deep(&deep(MAX_FLOW_DEPTH + 1)), Some((2, 9 + 4 * MAX_FLOW_DEPTH)));
        let lists = format!("a:\n  - {}\n", "[".repeat(100));
        assert_eq!(flow_too_deep(&lists), Some((2, 5 + MAX_FLOW_DEPTH)));
        // Brackets in plain text, quotes and comments are not structure.
        let texte = format!(
            "titre: a{}\nb: \"{}\"\nc: '{}'' {}'\n# {}\nd: [\"]]\", x, {{e: '[['}}]\n",
            "[".repeat(100),
            "[".repeat(100),
            "[".repeat(100),
            "{".repeat(100),
            "[".repeat(100)
        );
        assert_eq!(flow_too_deep(&texte), None);
        let p = std::path::Path::new("data/schema.yaml");
        let d = parse::<serde_yaml::Value>(p, &deep(100_000)).unwrap_err();
        assert_eq!(d.code, Code::ImbricationExcessive);
        assert_eq!(d.loc.map(|l| (l.ligne, l.colonne)), Some((2, 9 + 4 * MAX_FLOW_DEPTH)));
    }
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Membre {
        id: String,
        nom: String,
        population: Option<u32>,
    }

    #[test]
    fn syntax_errors_are_french() {
        let p = Path::new("data/effectifs.yaml");
        let cas = [
            (
                "perimetre: [garage\n",
                "syntaxe YAML invalide : « , » ou « ] » attendu : liste entre crochets non fermée",
                (2, 1),
            ),
            (
                "note: {a: 1\n",
                "syntaxe YAML invalide : « , » ou « } » attendu : table entre accolades non fermée",
                (2, 1),
            ),
            (
                "note: |x\n  texte\n",
                "syntaxe YAML invalide : fin de ligne ou commentaire attendu après la valeur",
                (1, 8),
            ),
            (
                "note: a\n---\nnote: b\n",
                "syntaxe YAML invalide : plusieurs documents YAML (séparés par « --- ») dans un même fichier",
                (0, 0),
            ),
        ];
        for (texte, message, (ligne, colonne)) in cas {
            let d = parse::<serde_yaml::Value>(p, texte).unwrap_err();
            assert_eq!((d.code, d.message.as_str()), (Code::SyntaxeYaml, message), "{texte}");
            if ligne > 0 {
                assert_eq!(d.loc.map(|l| (l.ligne, l.colonne)), Some((ligne, colonne)), "{texte}");
            }
        }
    }

    #[test]
    fn unknown_key_suggests() {
        let text = "id: daoulas\nnmo: Daoulas\n";
        let d = parse::<Membre>(Path::new("data/t.yaml"), text).unwrap_err();
        assert_eq!(d.code, Code::CleInconnue);
        assert_eq!(d.message, "clé inconnue « nmo »");
        assert_eq!(d.aide.as_deref(), Some("vouliez-vous dire « nom » ?"));
        let loc = d.loc.unwrap();
        assert_eq!((loc.ligne, loc.colonne), (2, 1));
    }

    #[test]
    fn wrong_type_is_french() {
        let text = "id: daoulas\nnom: Daoulas\npopulation: beaucoup\n";
        let d = parse::<Membre>(Path::new("x.yaml"), text).unwrap_err();
        assert_eq!(d.code, Code::TypeInvalide);
        assert_eq!(d.message, "type de valeur incorrect (dans `population`) : le texte « beaucoup »");
        assert_eq!(d.attendu.as_deref(), Some("un nombre entier positif"));
    }
}
