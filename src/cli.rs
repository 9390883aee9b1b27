//! Command line: short English subcommand names users know from Zola/Hugo,
//! French aliases, French options and messages. Exit codes: 0 success
//! (warnings allowed), 1 errors in the project, 2 usage error.

use crate::cmd::build;
use clap::{ArgAction, CommandFactory, Parser, Subcommand};
use mutu_base::diagnostic::Diagnostics;
use mutu_base::texte::pluriel;
use mutu_compute::pipeline;
use mutu_model::audience::Audience;
use std::path::{Path, PathBuf};

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

const SUB_HELP_ARGS: &str = "\
{about}

Utilisation : {usage}

Arguments :
{positionals}

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
    after_help = "Exemple : mutu check --racine mon-territoire\nAide sur une commande : mutu aide <commande> ; un code d'erreur : mutu aide <code> ; format des fichiers : mutu aide format ; une clé : mutu aide <clé>"
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
    /// Construit le site, les données ouvertes et le rapport PDF (alias : construire)
    #[command(alias = "construire", help_template = SUB_HELP, override_usage = "mutu build [--racine DOSSIER] [--sortie DOSSIER] [--public] [--sans-pdf] [--extraits]")]
    Build {
        /// Version publique : laisse de côté tout ce qui est marqué `visibilite: interne`
        #[arg(long = "public", alias = "publique")]
        public: bool,
        /// Dossier de sortie, remplacé d'un bloc à la fin ; par défaut public/ dans le projet
        #[arg(long = "sortie", value_name = "DOSSIER")]
        sortie: Option<PathBuf>,
        /// Ne construit pas le rapport PDF (site et données seulement)
        #[arg(long = "sans-pdf")]
        sans_pdf: bool,
        /// Construit aussi un extrait PDF par membre (extraits/<id>.pdf)
        #[arg(long = "extraits")]
        extraits: bool,
    },
    /// Construit seulement le rapport PDF, ou l'extrait d'une commune (alias : rapport)
    #[command(alias = "rapport", help_template = SUB_HELP, override_usage = "mutu pdf [--racine DOSSIER] [--sortie DOSSIER] [--public] [--commune ID|NOM|INSEE | --toutes-communes]")]
    Pdf {
        /// Version publique : laisse de côté tout ce qui est marqué `visibilite: interne`
        #[arg(long = "public", alias = "publique")]
        public: bool,
        /// Dossier où écrire le PDF ; par défaut public/ dans le projet
        #[arg(long = "sortie", value_name = "DOSSIER")]
        sortie: Option<PathBuf>,
        /// Extrait pour un membre : son identifiant, son nom, son code INSEE ou son SIREN
        #[arg(long = "commune", value_name = "ID|NOM|INSEE", conflicts_with = "toutes_communes")]
        commune: Option<String>,
        /// Un extrait par membre, dans extraits/
        #[arg(long = "toutes-communes")]
        toutes_communes: bool,
    },
    /// Sert le site sur cet ordinateur et le reconstruit à chaque modification (alias : servir)
    #[command(
        alias = "servir",
        help_template = SUB_HELP,
        override_usage = "mutu serve [--racine DOSSIER] [--port N] [--adresse IP]",
        after_help = "Le site est construit en mémoire (rien n'est écrit dans public/) et chaque page se recharge d'elle-même\nquand vous enregistrez un fichier de data/, content/ ou themes/."
    )]
    Serve {
        /// Port d'écoute ; par défaut 1111, ou le suivant s'il est occupé
        #[arg(long = "port", value_name = "N")]
        port: Option<u16>,
        /// Adresse d'écoute ; par défaut 127.0.0.1 (cet ordinateur seulement)
        #[arg(long = "adresse", value_name = "IP", default_value = "127.0.0.1", hide_default_value = true)]
        adresse: std::net::IpAddr,
    },
    /// Crée un projet commenté, ou prépare le rapport de l'exercice suivant (alias : nouveau)
    #[command(
        alias = "nouveau",
        help_template = SUB_HELP_ARGS,
        override_usage = "mutu new <DOSSIER> [--epci SIREN|NOM] [--exercice N]\n       mutu new --exercice N [--racine DOSSIER]",
        after_help = "Exemples :\n  mutu new mon-territoire                           crée un projet d'exemple commenté\n  mutu new mon-territoire --epci 242900553         le même, pour votre EPCI et toutes ses communes\n  mutu new mon-territoire --exercice 2025          un nouveau projet sur l'exercice 2025\n  mutu new --exercice 2025 --racine mon-territoire  prépare le rapport de l'exercice 2025\n\nSans --exercice, un nouveau projet porte sur l'exercice du rapport que l'on prépare ce jour-là : jusqu'au\n15 avril, celui de l'année précédente (présenté au débat d'orientation budgétaire, avant le vote du budget) ;\nensuite, celui de l'année en cours, présenté au conseil au début de l'année suivante."
    )]
    New {
        /// Dossier du nouveau projet (absent ou vide)
        #[arg(value_name = "DOSSIER", required_unless_present = "exercice")]
        dossier: Option<PathBuf>,
        /// Part de votre EPCI (SIREN ou nom) et de toutes ses communes, tirés du référentiel officiel
        #[arg(long = "epci", value_name = "SIREN|NOM", requires = "dossier")]
        epci: Option<String>,
        /// Avec DOSSIER : l'exercice du nouveau projet (par défaut selon la date du jour). Sans : prépare, dans le projet existant, le rapport de l'exercice N (données et textes de l'année précédente conservés)
        #[arg(long = "exercice", value_name = "N")]
        exercice: Option<i32>,
    },
    /// Affiche l'aide, celle d'une commande, l'explication d'un code, la référence du format ou une clé (alias : help)
    #[command(
        alias = "help",
        help_template = SUB_HELP_ARGS,
        override_usage = "mutu aide [COMMANDE | CODE | codes | format | CLÉ]",
        after_help = "Exemples :\n  mutu aide build           l'aide de la commande build\n  mutu aide cle-inconnue    l'explication d'un code de diagnostic (erreur[cle-inconnue])\n  mutu aide codes           la liste de tous les codes\n  mutu aide format          la référence complète du format des fichiers\n  mutu aide siren           ce que la référence dit de la clé « siren »\n  mutu aide epci.siret      la clé « siret » du bloc « epci »"
    )]
    Aide {
        /// Une commande, un code de diagnostic, « codes », « format », ou une clé des fichiers YAML
        #[arg(value_name = "SUJET")]
        sujet: Option<String>,
    },
    /// Envoie le site construit sur l'extranet : dossier partagé, SFTP ou WebDAV, d'un bloc, avec retour possible (alias : publier)
    #[command(
        alias = "publier",
        help_template = SUB_HELP,
        override_usage = "mutu publish [--racine DOSSIER] [--sortie DOSSIER] [--cible CIBLE] [--essai] [--construire [--public]] [--cle FICHIER]\n       mutu publish --retour [--cible CIBLE]",
        after_help = "La cible (--cible ou `publication: cible:` de data/configuration.yaml) est un dossier (un partage monté),\nsftp://utilisateur@hote[:port]/chemin ou webdavs://utilisateur@hote[:port]/chemin (webdav:// en HTTP).\nLe serveur web doit servir <cible>/courant. Seuls les fichiers modifiés sont envoyés ; la version servie change d'un bloc à la fin.\nWebDAV : mot de passe dans la variable MUTU_WEBDAV_MOT_DE_PASSE, sinon demandé dans le terminal."
    )]
    Publish {
        /// Où publier : un dossier, sftp://utilisateur@hote[:port]/chemin ou webdavs://utilisateur@hote[:port]/chemin ; par défaut `publication.cible` de la configuration
        #[arg(long = "cible", value_name = "CIBLE")]
        cible: Option<String>,
        /// Affiche ce qui serait envoyé et supprimé, sans rien modifier
        #[arg(long = "essai", conflicts_with = "retour")]
        essai: bool,
        /// Revient à la version que la dernière publication a remplacée
        #[arg(long = "retour", conflicts_with = "construire")]
        retour: bool,
        /// Construit le site d'abord (comme `mutu build`)
        #[arg(long = "construire")]
        construire: bool,
        /// Avec --construire : version publique (sans ce qui est marqué `visibilite: interne`)
        #[arg(long = "public", alias = "publique", requires = "construire")]
        public: bool,
        /// Fichier de la clé SSH privée (sinon la variable MUTU_CLE_SSH, sinon l'agent SSH et les clés habituelles)
        #[arg(long = "cle", value_name = "FICHIER")]
        cle: Option<PathBuf>,
        /// Dossier construit à publier (celui de `mutu build --sortie`) ; par défaut public/ dans le projet
        #[arg(long = "sortie", value_name = "DOSSIER")]
        sortie: Option<PathBuf>,
    },
    /// Compare les chiffres du projet entre deux révisions git (alias : comparer)
    #[command(
        alias = "comparer",
        help_template = SUB_HELP_ARGS,
        override_usage = "mutu diff <RÉVISION> [<RÉVISION>] [--racine DOSSIER] [--sortie FICHIER.html]",
        after_help = "Sans seconde révision, la comparaison se fait avec l'arbre de travail (les fichiers tels qu'ils sont).\nExemple : mutu diff HEAD~1"
    )]
    Diff {
        /// Révision de départ (commit, branche, étiquette : HEAD~1, v2024…)
        #[arg(value_name = "RÉVISION")]
        revision: String,
        /// Révision d'arrivée ; par défaut l'arbre de travail
        #[arg(value_name = "RÉVISION2")]
        seconde: Option<String>,
        /// Écrit aussi la comparaison dans cette page HTML
        #[arg(long = "sortie", value_name = "FICHIER.html")]
        sortie: Option<PathBuf>,
    },
    /// Reprend les chiffres d'un tableau (ODS, XLSX, CSV) dans les fichiers YAML (alias : importer)
    #[command(
        alias = "importer",
        help_template = SUB_HELP_ARGS,
        override_usage = "mutu import <FICHIER.ods|.xlsx|.csv> [--ecrire] [--racine DOSSIER]",
        after_help = "La cellule A1 de chaque feuille dit ce qu'elle contient : « clé: <identifiant> », « indicateur: <service>/<indicateur> »,\n« populations: municipale » (ou dgf, totale) ou « bilan: <service> » ; voir « mutu aide format », section « Import de tableaux ».\nSans --ecrire, mutu montre chaque valeur qui changerait (ancienne → nouvelle) et n'écrit rien."
    )]
    Import {
        /// Le tableau à reprendre : classeur .ods ou .xlsx, ou fichier .csv
        #[arg(value_name = "FICHIER")]
        fichier: PathBuf,
        /// Écrit les valeurs dans les fichiers YAML (commentaires et mise en page conservés)
        #[arg(long = "ecrire", alias = "écrire")]
        ecrire: bool,
    },
    /// Affiche tous les chiffres calculés au format JSON (alias : exporter)
    #[command(alias = "exporter", help_template = SUB_HELP, override_usage = "mutu export [--racine DOSSIER] [--sortie FICHIER] [--public]")]
    Export {
        /// Version publique : laisse de côté tout ce qui est marqué `visibilite: interne`
        #[arg(long = "public", alias = "publique")]
        public: bool,
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
    mutu_base::suggest::closest(&typed, names.iter().map(String::as_str)).map(str::to_string)
}

pub fn run(cli: Cli) -> i32 {
    // An import interrupted while it wrote is finished before anything
    // reads the project (crates/import/src/ecriture.rs).
    if !matches!(cli.commande, Commande::New { dossier: Some(_), .. } | Commande::Aide { .. }) {
        match mutu_import::ecriture::reprendre(&cli.racine) {
            Ok(dit) => dit.iter().for_each(|l| eprintln!("{l}")),
            Err(e) => {
                eprintln!("{e}");
                return 1;
            }
        }
    }
    match cli.commande {
        Commande::Check => check(&cli.racine),
        Commande::Import { fichier, ecrire } => mutu_import::commande(&cli.racine, &fichier, ecrire),
        Commande::Aide { sujet } => crate::cmd::aide::aide(Cli::command(), sujet.as_deref()),
        Commande::Diff { revision, seconde, sortie } => {
            if let Some(f) = &sortie {
                if let Err(r) = mutu_base::output::regles::fichier_remplacable(&cli.racine, f, mutu_base::output::regles::Genre::Comparaison) {
                    return sortie_refusee(&r, f);
                }
            }
            crate::cmd::diff::run(&cli.racine, &revision, seconde.as_deref(), sortie.as_deref())
        }
        Commande::Serve { port, adresse } => crate::cmd::serve::run(&cli.racine, &crate::cmd::serve::Options { port, adresse }),
        Commande::New {
            dossier: Some(dossier),
            epci,
            exercice,
        } => match epci {
            Some(e) => crate::cmd::new::epci::nouveau(&dossier, &e, exercice),
            None => crate::cmd::new::nouveau(&dossier, exercice),
        },
        Commande::New { dossier: None, exercice, .. } => match exercice {
            Some(n) => crate::cmd::new::exercice::preparer(&cli.racine, n),
            None => usage_error(Cli::command().error(clap::error::ErrorKind::MissingRequiredArgument, "DOSSIER")),
        },
        Commande::Export { sortie, public } => {
            if let Some(f) = &sortie {
                if let Err(r) = mutu_base::output::regles::fichier_remplacable(&cli.racine, f, mutu_base::output::regles::Genre::Export) {
                    return sortie_refusee(&r, f);
                }
            }
            export(&cli.racine, sortie, audience(public))
        }
        Commande::Build {
            sortie,
            sans_pdf,
            extraits,
            public,
        } => {
            let par_defaut = sortie.is_none();
            let sortie = sortie.unwrap_or_else(|| cli.racine.join("public"));
            if let Err(r) = mutu_base::output::regles::dossier_remplacable(&cli.racine, &sortie, par_defaut) {
                return sortie_refusee(&r, &sortie);
            }
            // Never reads a project an import is writing.
            let _projet = mutu_import::ecriture::verrou(&cli.racine, mutu_import::ecriture::attente);
            build(
                &cli.racine,
                audience(public),
                &sortie,
                &build::Options {
                    site: true,
                    pdf: !sans_pdf,
                    extraits,
                    rechargement: None,
                },
            )
        }
        Commande::Publish {
            cible,
            essai,
            retour,
            construire,
            public,
            cle,
            sortie,
        } => {
            let sortie = sortie.unwrap_or_else(|| cli.racine.join("public"));
            if construire {
                if let Err(r) = mutu_base::output::regles::dossier_remplacable(&cli.racine, &sortie, true) {
                    return sortie_refusee(&r, &sortie);
                }
                let opts = build::Options {
                    site: true,
                    pdf: true,
                    extraits: false,
                    rechargement: None,
                };
                let code = build(&cli.racine, audience(public), &sortie, &opts);
                if code != 0 {
                    return code;
                }
            }
            let cle = cle.or_else(|| std::env::var_os(mutu_publish::VAR_CLE).filter(|v| !v.is_empty()).map(PathBuf::from));
            mutu_publish::commande(
                &cli.racine,
                &mutu_publish::Options {
                    cible,
                    essai,
                    retour,
                    cle,
                    source: sortie,
                },
            )
        }
        Commande::Pdf {
            sortie,
            commune,
            toutes_communes,
            public,
        } => {
            let sortie = sortie.unwrap_or_else(|| cli.racine.join("public"));
            if let Err(r) = mutu_base::output::regles::dossier_de_fichiers(&cli.racine, &sortie) {
                return sortie_refusee(&r, &sortie);
            }
            pdf(&cli.racine, audience(public), &sortie, commune.as_deref(), toutes_communes)
        }
    }
}

/// Prints why an output is refused; nothing has been touched (exit 2).
fn sortie_refusee(r: &mutu_base::output::regles::Refus, chemin: &Path) -> i32 {
    print_errors(&[r.diagnostic(chemin)]);
    eprintln!("aucun fichier n'a été modifié");
    2
}

fn audience(public: bool) -> Audience {
    if public {
        Audience::Publique
    } else {
        Audience::Interne
    }
}

/// Runs the pipeline and returns the publishable model, or prints why not.
fn model_or_exit(root: &Path, audience: Audience, what: &str) -> Result<mutu_compute::Modele, i32> {
    let run = pipeline::run_for(root, audience);
    print_diagnostics(&run.diagnostics, &run.sources);
    if run.diagnostics.has_errors() || run.model.is_none() {
        eprintln!("{what} impossible : {}", run.diagnostics.summary());
        return Err(1);
    }
    Ok(run.model.expect("checked above"))
}

fn print_errors(ds: &[mutu_base::diagnostic::Diagnostic]) {
    let sources = mutu_base::source::Sources::default();
    for d in ds {
        eprint!("{}", d.render(&sources));
        eprintln!();
    }
}

fn build(root: &Path, audience: Audience, sortie: &Path, opts: &build::Options) -> i32 {
    // The duration said at the end is the whole command's, reading included.
    let debut = std::time::Instant::now();
    let m = match model_or_exit(root, audience, "construction") {
        Ok(m) => m,
        Err(code) => return code,
    };
    let attente = || eprintln!("une autre commande mutu écrit dans {} : attente de sa fin…", sortie.display());
    match build::build(root, &m, sortie, opts, attente) {
        Ok(b) => {
            print_errors(&b.avertissements);
            let pdf = match b.pdf_pages {
                Some(n) => format!(", rapport PDF de {}", pluriel(n, "page", "pages")),
                None => String::new(),
            };
            println!(
                "construction terminée : {}{pdf}, {} ({}) en {} → {}",
                pluriel(b.pages, "page", "pages"),
                pluriel(b.fichiers, "fichier", "fichiers"),
                mutu_base::format::octets(b.octets as u64),
                mutu_base::format::duree_ms(debut.elapsed().as_millis()),
                sortie.display()
            );
            mutu_base::memoire::liberer(m);
            0
        }
        Err(ds) => {
            print_errors(&ds);
            eprintln!(
                "construction échouée : {} ; le dossier {} n'a pas été modifié",
                pluriel(ds.len(), "erreur", "erreurs"),
                sortie.display()
            );
            1
        }
    }
}

fn pdf(root: &Path, audience: Audience, sortie: &Path, commune: Option<&str>, toutes: bool) -> i32 {
    let m = match model_or_exit(root, audience, "rapport PDF") {
        Ok(m) => m,
        Err(code) => return code,
    };
    let start = std::time::Instant::now();
    let theme = match build::theme(root, &m) {
        Ok(t) => t,
        Err(ds) => {
            print_errors(&ds);
            return 1;
        }
    };
    let opts = build::Options {
        site: false,
        pdf: commune.is_none() && !toutes,
        extraits: commune.is_some() || toutes,
        rechargement: None,
    };
    let mut doc = build::document(&m, &opts);
    if let Some(c) = commune {
        let membres: Vec<mutu_check::designe::Designable> = m.membres.iter().map(Into::into).collect();
        let id = match mutu_check::designe::designe(&membres, c) {
            Ok(id) => id.to_string(),
            Err(hint) => {
                eprintln!("erreur : membre inconnu : « {c} »\n  = attendu : l'identifiant, le nom, le code INSEE ou le SIREN d'un membre\n  = aide : {hint}");
                return 2;
            }
        };
        for p in doc.pages.iter_mut() {
            if p.membre.as_deref() != Some(id.as_str()) {
                p.membre = None;
            }
        }
    }
    let files = match build::render(root, &m, &doc, &theme, None, &opts) {
        Ok(r) => {
            print_errors(&r.avertissements);
            r.fichiers
        }
        Err(ds) => {
            print_errors(&ds);
            eprintln!("rapport PDF non produit : {}", pluriel(ds.len(), "erreur", "erreurs"));
            return 1;
        }
    };
    // The files are written into a folder that a `build` may be replacing.
    let attente = || eprintln!("une autre commande mutu écrit dans {} : attente de sa fin…", sortie.display());
    let _verrou = match mutu_base::output::Verrou::prendre(sortie, attente) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("erreur : impossible de verrouiller {} : {e}", sortie.display());
            return 1;
        }
    };
    let nouveau = !sortie.exists();
    for f in &files {
        let path = sortie.join(&f.chemin);
        if let Err(r) = mutu_base::output::regles::fichier_remplacable(root, &path, mutu_base::output::regles::Genre::Pdf) {
            return sortie_refusee(&r, &path);
        }
    }
    for f in &files {
        let path = sortie.join(&f.chemin);
        if let Err(e) = mutu_base::output::write_atomic(&path, &f.contenu) {
            eprintln!(
                "erreur : impossible d'écrire {} : {e}\n  = aide : {}",
                path.display(),
                mutu_base::diagnostic::aide_ecriture(&e)
            );
            return 1;
        }
        println!("écrit : {} ({})", path.display(), mutu_base::format::octets(f.contenu.len() as u64));
    }
    if nouveau {
        // A folder mutu created: a later `build` may replace it.
        let _ = mutu_base::output::write_atomic(
            &sortie.join(mutu_base::output::regles::MARQUE),
            mutu_base::output::regles::TEXTE_MARQUE.as_bytes(),
        );
    }
    println!("terminé en {}", mutu_base::format::duree_ms(start.elapsed().as_millis()));
    0
}

fn print_diagnostics(d: &Diagnostics, sources: &mutu_base::source::Sources) {
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

fn export(root: &std::path::Path, sortie: Option<PathBuf>, audience: Audience) -> i32 {
    let run = pipeline::run_for(root, audience);
    print_diagnostics(&run.diagnostics, &run.sources);
    let Some(m) = run.model.filter(|_| !run.diagnostics.has_errors()) else {
        eprintln!("export impossible : {}", run.diagnostics.summary());
        return 1;
    };
    let json = mutu_compute::export::to_json(&m);
    match sortie {
        None => {
            mutu_base::progress::affiche(&json);
            0
        }
        Some(path) => match mutu_base::output::write_atomic(&path, json.as_bytes()) {
            Ok(()) => {
                eprintln!("export écrit dans {} ({})", path.display(), pluriel(json.len(), "octet", "octets"));
                0
            }
            Err(e) => {
                eprintln!(
                    "erreur : impossible d'écrire {} : {e}\n  = aide : {}",
                    path.display(),
                    mutu_base::diagnostic::aide_ecriture(&e)
                );
                1
            }
        },
    }
}
