//! Command line: short English subcommand names users know from Zola/Hugo,
//! French aliases, French options and messages. Exit codes: 0 success
//! (warnings allowed), 1 errors in the project, 2 usage error.

use crate::diagnostic::{plural, Diagnostics};
use crate::pipeline;
use clap::{ArgAction, Parser, Subcommand};
use std::path::PathBuf;

const HELP: &str = "\
{about}

Utilisation : {usage}

Commandes :
{subcommands}

Options :
{options}{after-help}";

const SUB_HELP: &str = "\
{about}

Utilisation : {usage}

Options :
{options}{after-help}";

#[derive(Parser, Debug)]
#[command(
    name = "mutu",
    version,
    about = "mutu — le schéma de mutualisation d'un EPCI, de vos fichiers YAML et Markdown au site web et au rapport PDF",
    help_template = HELP,
    override_usage = "mutu [OPTIONS] <COMMANDE>",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    subcommand_value_name = "COMMANDE",
    after_help = "Exemple : mutu check --racine mon-territoire\nDocumentation du format : docs/format.md"
)]
pub struct Cli {
    /// Dossier du projet (celui qui contient data/ et content/) ; par défaut le dossier courant
    #[arg(long = "racine", value_name = "DOSSIER", default_value = ".", hide_default_value = true, global = true)]
    pub racine: PathBuf,
    /// Affiche cette aide
    #[arg(short = 'h', long = "aide", alias = "help", action = ArgAction::Help, global = true)]
    aide: Option<bool>,
    /// Affiche la version
    #[arg(short = 'V', long = "version", action = ArgAction::Version)]
    version: Option<bool>,
    #[command(subcommand)]
    pub commande: Commande,
}

#[derive(Subcommand, Debug)]
pub enum Commande {
    /// Vérifie les données et les textes, et signale chaque problème (alias : verifier)
    #[command(alias = "verifier", help_template = SUB_HELP, override_usage = "mutu check [--racine DOSSIER]")]
    Check,
    /// Affiche tous les chiffres calculés au format JSON (alias : exporter)
    #[command(alias = "exporter", help_template = SUB_HELP, override_usage = "mutu export [--sortie FICHIER]")]
    Export {
        /// Écrit le JSON dans ce fichier au lieu de la sortie standard
        #[arg(long = "sortie", value_name = "FICHIER")]
        sortie: Option<PathBuf>,
    },
}

/// Parses the command line and runs; returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => return usage_error(e),
    };
    run(cli)
}

fn usage_error(e: clap::Error) -> i32 {
    use clap::error::ErrorKind as K;
    match e.kind() {
        K::DisplayHelp | K::DisplayVersion | K::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            if e.kind() == K::DisplayHelpOnMissingArgumentOrSubcommand {
                2
            } else {
                0
            }
        }
        kind => {
            let detail = e
                .get(clap::error::ContextKind::InvalidArg)
                .or_else(|| e.get(clap::error::ContextKind::InvalidSubcommand))
                .map(|v| format!(" : {v}"))
                .unwrap_or_default();
            let msg = match kind {
                K::UnknownArgument => format!("option inconnue{detail}"),
                K::InvalidSubcommand => format!("commande inconnue{detail}"),
                K::MissingSubcommand => "aucune commande indiquée".to_string(),
                K::MissingRequiredArgument => format!("argument obligatoire manquant{detail}"),
                K::InvalidValue | K::ValueValidation => format!("valeur invalide{detail}"),
                K::TooManyValues | K::ArgumentConflict => format!("argument en trop ou incompatible{detail}"),
                _ => "ligne de commande invalide".to_string(),
            };
            let suggestion = e
                .get(clap::error::ContextKind::SuggestedSubcommand)
                .or_else(|| e.get(clap::error::ContextKind::SuggestedArg))
                .map(|v| v.to_string())
                .or_else(|| closest_name(&e))
                .map(|v| format!("\n  = aide : vouliez-vous dire « {v} » ?"))
                .unwrap_or_default();
            eprintln!("erreur : {msg}{suggestion}\n\nPour l'aide : mutu --aide");
            2
        }
    }
}

/// The known subcommand or option closest to a mistyped one (clap's own
/// suggestions need its `suggestions` feature, which is off).
fn closest_name(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ErrorKind as K};
    use clap::CommandFactory;
    let cmd = Cli::command();
    let (typed, names): (String, Vec<String>) = match e.kind() {
        K::InvalidSubcommand => {
            let typed = e.get(ContextKind::InvalidSubcommand)?.to_string();
            (
                typed,
                cmd.get_subcommands()
                    .flat_map(|s| std::iter::once(s.get_name()).chain(s.get_all_aliases()))
                    .map(str::to_string)
                    .collect(),
            )
        }
        K::UnknownArgument => {
            let typed = e.get(ContextKind::InvalidArg)?.to_string();
            let args = cmd.get_arguments().chain(cmd.get_subcommands().flat_map(|s| s.get_arguments()));
            (typed, args.filter_map(|a| a.get_long()).map(|l| format!("--{l}")).collect())
        }
        _ => return None,
    };
    crate::suggest::closest(&typed, names.iter().map(String::as_str)).map(str::to_string)
}

pub fn run(cli: Cli) -> i32 {
    match cli.commande {
        Commande::Check => check(&cli.racine),
        Commande::Export { sortie } => export(&cli.racine, sortie),
    }
}

fn print_diagnostics(d: &Diagnostics, sources: &crate::source::Sources) {
    let text = d.render(sources);
    if !text.is_empty() {
        eprint!("{text}");
    }
}

fn check(root: &std::path::Path) -> i32 {
    let run = pipeline::run(root);
    print_diagnostics(&run.diagnostics, &run.sources);
    match &run.model {
        Some(m) if !run.diagnostics.has_errors() => {
            println!("{}", m.resume_texte());
            println!("vérification terminée : {}", run.diagnostics.summary());
            0
        }
        _ => {
            eprintln!("vérification échouée : {}", run.diagnostics.summary());
            1
        }
    }
}

fn export(root: &std::path::Path, sortie: Option<PathBuf>) -> i32 {
    let run = pipeline::run(root);
    print_diagnostics(&run.diagnostics, &run.sources);
    let Some(m) = run.model.filter(|_| !run.diagnostics.has_errors()) else {
        eprintln!("export impossible : {}", run.diagnostics.summary());
        return 1;
    };
    let json = crate::export::to_json(&m);
    match sortie {
        None => {
            print!("{json}");
            0
        }
        Some(path) => match crate::output::write_atomic(&path, json.as_bytes()) {
            Ok(()) => {
                eprintln!("export écrit dans {} ({})", path.display(), plural(json.len(), "octet", "octets"));
                0
            }
            Err(e) => {
                eprintln!("erreur : impossible d'écrire {} : {e}", path.display());
                1
            }
        },
    }
}
