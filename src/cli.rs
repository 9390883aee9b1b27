//! Command line: short English subcommand names users know from Zola/Hugo,
//! French aliases, French options and messages. Exit codes: 0 success
//! (warnings allowed), 1 errors in the project, 2 usage error.

use crate::cmd;
use clap::{ArgAction, CommandFactory, Parser, Subcommand};
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
        /// Le catalogue des services seul (offres, prix, conditions d'adhésion)
        #[arg(long = "catalogue", conflicts_with_all = ["commune", "toutes_communes"])]
        catalogue: bool,
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
        Commande::Check => cmd::check::run(&cli.racine),
        Commande::Import { fichier, ecrire } => cmd::import::run(&cli.racine, &fichier, ecrire),
        Commande::Aide { sujet } => cmd::aide::aide(Cli::command(), sujet.as_deref()),
        Commande::Diff { revision, seconde, sortie } => cmd::diff::commande(&cli.racine, &revision, seconde.as_deref(), sortie.as_deref()),
        Commande::Serve { port, adresse } => cmd::serve::run(&cli.racine, &cmd::serve::Options { port, adresse }),
        Commande::New {
            dossier: Some(dossier),
            epci,
            exercice,
        } => match epci {
            Some(e) => cmd::new::epci::nouveau(&dossier, &e, exercice),
            None => cmd::new::nouveau(&dossier, exercice),
        },
        Commande::New { dossier: None, exercice, .. } => match exercice {
            Some(n) => cmd::new::exercice::preparer(&cli.racine, n),
            None => usage_error(Cli::command().error(clap::error::ErrorKind::MissingRequiredArgument, "DOSSIER")),
        },
        Commande::Export { sortie, public } => cmd::export::run(&cli.racine, sortie, cmd::audience(public)),
        Commande::Build {
            sortie,
            sans_pdf,
            extraits,
            public,
        } => cmd::build::run(&cli.racine, sortie, cmd::audience(public), !sans_pdf, extraits),
        Commande::Publish {
            cible,
            essai,
            retour,
            construire,
            public,
            cle,
            sortie,
        } => cmd::publish::run(
            &cli.racine,
            cmd::publish::Demande {
                cible,
                essai,
                retour,
                construire,
                audience: cmd::audience(public),
                cle,
                sortie,
            },
        ),
        Commande::Pdf {
            sortie,
            commune,
            toutes_communes,
            catalogue,
            public,
        } => cmd::pdf::run(&cli.racine, sortie, cmd::audience(public), commune.as_deref(), toutes_communes, catalogue),
    }
}
