//! The catalogue of diagnostic codes: every kind of problem mutu reports,
//! once, with its severity, a one-line title and a paragraph that explains
//! the cause and the fix with an example. `mutu aide <code>` prints the
//! paragraph (as `rustc --explain` does), `mutu aide codes` lists them all
//! and docs/codes.md is generated from here; a diagnostic can only carry a
//! [`Code`] of this list, so no code goes undocumented.
//!
//! To add a code: one entry below (kept in alphabetical order of the code),
//! then raise it with `Diagnostic::error(Code::…)` or `Diagnostic::warning`.

use serde::Serialize;
use std::cmp::Ordering;
use std::fmt;

/// How grave a problem is: an error forbids publishing, a warning does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Erreur,
    Avertissement,
}

impl Severity {
    /// The word printed before a code: `erreur[…]`, `avertissement[…]`.
    pub const fn texte(self) -> &'static str {
        match self {
            Severity::Erreur => "erreur",
            Severity::Avertissement => "avertissement",
        }
    }
}

macro_rules! catalogue {
    ($($variant:ident = $code:literal, $gravite:ident, $titre:literal, $explication:literal;)*) => {
        /// A kind of problem: the stable code printed between brackets
        /// (`erreur[cle-inconnue]`), read back from serde's error texts and
        /// from `mutu aide`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $(#[doc = $titre] $variant,)*
        }

        impl Code {
            /// Every code, in alphabetical order of its text.
            pub const TOUS: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as printed: `cle-inconnue`.
            pub const fn texte(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// The severity the problem is reported with.
            pub const fn gravite(self) -> Severity {
                match self { $(Code::$variant => Severity::$gravite,)* }
            }

            /// What went wrong, in one line.
            pub const fn titre(self) -> &'static str {
                match self { $(Code::$variant => $titre,)* }
            }

            /// Cause, fix and an example, in French, for `mutu aide <code>`.
            pub const fn explication(self) -> &'static str {
                match self { $(Code::$variant => $explication,)* }
            }
        }
    };
}

impl Code {
    /// The code whose text is `texte`.
    pub fn depuis(texte: &str) -> Option<Code> {
        Code::TOUS.binary_search_by(|c| c.texte().cmp(texte)).ok().map(|i| Code::TOUS[i])
    }
}

/// Codes sort by their text, as the strings they were: diagnostics at one
/// place are listed in that order.
impl Ord for Code {
    fn cmp(&self, other: &Self) -> Ordering {
        self.texte().cmp(other.texte())
    }
}

impl PartialOrd for Code {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.texte())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.texte())
    }
}

/// Lets a test compare a diagnostic's code with the text it expects.
impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.texte() == *other
    }
}

catalogue! {
    ActesIncoherent = "actes-incoherent", Erreur,
        "Identifiant @ctes en désaccord avec les données du rapport",
        r#"L'identifiant @ctes (`actes_id` dans data/rapport.yaml) est bien formé, mais l'une de ses
parties ne correspond pas aux autres données du projet : le département (`epci.departement`), le
SIREN de l'EPCI, la date du conseil (`date_conseil`), le numéro de délibération
(`deliberation`) ou la nature de l'acte, qui doit être `DE`. mutu le refuse pour que le rapport
ne cite pas l'accusé de réception d'un autre acte.

Recopiez l'identifiant depuis l'accusé de réception de la préfecture, ou corrigez la donnée
du rapport ou de l'EPCI qui est fausse. Le message dit quelle partie diffère.

Exemple, dans data/rapport.yaml (conseil du 29 mars 2024) :

    date_conseil: 2024-03-29
    deliberation: DCC2024_054
    actes_id: 029-242900801-20240328-DCC2024_054-DE   # la date doit être 20240329
"#;

    ActesInvalide = "actes-invalide", Erreur,
        "Identifiant @ctes mal formé",
        r#"L'identifiant @ctes (`actes_id` dans data/rapport.yaml) n'a pas la forme des identifiants
de la préfecture : cinq parties séparées par des tirets, le département sur 3 caractères, le
SIREN de l'EPCI (9 chiffres), la date du conseil en AAAAMMJJ (8 chiffres), le numéro de la
délibération, puis la nature de l'acte (DE, AR, AI, CC, BF ou AU).

Recopiez l'identifiant tel qu'il figure sur l'accusé de réception ; pour une délibération, la
nature est DE. Si vous ne l'avez pas encore, supprimez la ligne : la clé est facultative.

Exemple, dans data/rapport.yaml :

    actes_id: 29-242900801-29032024-DCC2024_054       # refusé
    actes_id: 029-242900801-20240329-DCC2024_054-DE   # correct
"#;

    AdhesionSansProrata = "adhesion-sans-prorata", Avertissement,
        "Adhésion en cours d'année facturée sur l'année entière",
        r#"Un membre n'adhère au service qu'une partie de l'année (son adhésion a un `depuis:` ou un
`jusqu_au:` dans l'année), mais la clé de répartition utilisée n'a pas de `prorata` pour lui :
elle lui fait donc payer l'année entière. mutu avertit sans bloquer, car c'est parfois voulu.

Ajoutez à la clé (data/cles.yaml) un prorata aligné sur les dates d'adhésion ; le message
donne la ligne exacte à écrire. Si la date d'adhésion est fausse, corrigez-la plutôt.

Exemple, pour une adhésion au 1er juillet 2023 dans data/services/instruction-ads.yaml :

    adherents:
      - membre: la-forest-landerneau
        depuis: 2023-07-01

et, dans la clé utilisée par le service (data/cles.yaml) :

    prorata:
      la-forest-landerneau: {du: 2023-07-01}
"#;

    AnneeEnDouble = "annee-en-double", Erreur,
        "Même année dans deux colonnes d'une feuille importée",
        r#"Lors d'un `mutu import`, la ligne 1 de la feuille porte les années à partir de la
colonne B : une année y figure deux fois. mutu ne peut pas savoir laquelle des deux colonnes est
la bonne, et n'écrit donc rien.

Supprimez ou renommez l'une des deux colonnes (chaque année une seule fois), puis relancez
l'import. Le message désigne la cellule fautive, par exemple `chiffres.xlsx!Feuil1!D1`.

Exemple de ligne 1 refusée :

    A1: clé: sc-scp    B1: 2023    C1: 2024    D1: 2024

Corrigez D1 en 2025, ou supprimez la colonne D.
"#;

    AnneeFuture = "annee-future", Erreur,
        "Bilan ou répartition d'un exercice postérieur au rapport",
        r#"Un bilan ou une répartition d'un service porte sur une année postérieure à l'exercice du
rapport (`exercice` dans data/rapport.yaml). Un rapport ne rend compte que d'exercices clos :
mutu refuse ces chiffres plutôt que de publier des données d'une année qui n'est pas terminée.

Vérifiez l'année du bilan ou de la répartition (faute de frappe fréquente), ou mettez à jour
l'exercice du rapport si vous préparez le rapport suivant.

Exemple, avec `exercice: 2023` dans data/rapport.yaml, dans data/services/garage-commun.yaml :

    bilans:
      - exercice: 2024     # refusé : postérieur à 2023
        taxes: ttc
"#;

    AnneeHorsMandat = "annee-hors-mandat", Erreur,
        "Exercice du rapport hors du mandat du schéma",
        r#"L'exercice du rapport (`exercice` dans data/rapport.yaml) n'est pas compris entre l'année
de début et l'année de fin du mandat couvert par le schéma de mutualisation (`mandat` dans
data/schema.yaml). Le rapport rend compte de l'avancement du schéma : un exercice hors de
son mandat signale une erreur d'année ou un schéma à mettre à jour.

Corrigez l'exercice du rapport, ou mettez à jour `mandat` (et le reste du schéma) si un
nouveau schéma a été adopté.

Exemple, dans data/schema.yaml, pour un rapport de l'exercice 2027 :

    mandat:
      debut: 2020
      fin: 2026      # l'exercice 2027 est hors du mandat
"#;

    AnneeIncoherente = "annee-incoherente", Erreur,
        "Mandat du schéma qui finit avant de commencer",
        r#"Dans data/schema.yaml, l'année de fin du mandat (`mandat.fin`) est antérieure à son année
de début (`mandat.debut`). mutu ne peut pas situer l'exercice du rapport dans un tel mandat.

Vérifiez les deux années : elles sont souvent inversées ou mal tapées. Un mandat municipal
dure six ans.

Exemple, dans data/schema.yaml :

    mandat:
      debut: 2026
      fin: 2020      # inversé : écrivez debut: 2020 et fin: 2026
"#;

    AnneeInvalide = "annee-invalide", Erreur,
        "Année illisible dans une feuille importée",
        r#"Lors d'un `mutu import`, une cellule qui doit contenir une année n'en contient pas une
lisible (un nombre entier entre 1900 et 2200) : soit une cellule de la ligne 1 à partir de la
colonne B (feuilles `clé`, `indicateur` et `populations`), soit la cellule B1 d'une feuille
`bilan`, qui porte l'exercice du bilan. Rien n'est écrit tant que l'erreur demeure.

Tapez l'année seule, sans texte autour (« 2024 » et non « Année 2024 » ni « 2024-2025 »), ou
videz la cellule si la colonne ne sert pas.

Exemple de feuille de bilan :

    A1: bilan: instruction-ads    B1: Exercice 2024    C1: TTC

Écrivez 2024 dans B1.
"#;

    AuthentificationRefusee = "authentification-refusee", Erreur,
        "Le serveur de publication refuse l'identification",
        r#"`mutu publish` a joint le serveur, mais celui-ci a refusé l'utilisateur, le mot de
passe ou la clé fournis (en WebDAV, réponse HTTP 401 ; en SFTP, « Permission denied »). Rien n'a
été publié et le site servi n'a pas changé.

En WebDAV, vérifiez l'utilisateur (dans l'adresse `webdavs://utilisateur@hote/…` ou la
variable MUTU_WEBDAV_UTILISATEUR) et le mot de passe (variable MUTU_WEBDAV_MOT_DE_PASSE, ou
saisi quand mutu le demande). En SFTP, mutu s'authentifie par clé : chargez-la dans l'agent
SSH (`ssh-add`) ou nommez son fichier avec `--cle` ; la clé publique doit figurer dans
~/.ssh/authorized_keys du compte sur le serveur.

Exemple :

    ssh-add ~/.ssh/id_ed25519
    mutu publish --cible sftp://dgs@extranet.example.fr/www/mutualisation
"#;

    AxeInconnu = "axe-inconnu", Erreur,
        "Référence à un axe qui n'est pas déclaré",
        r#"Une fiche-action (champ `axe` de data/fiches/…) ou un texte de content/ (en-tête
`objet: axe` avec `id:`) désigne un axe dont l'identifiant n'est pas déclaré dans
data/axes.yaml. mutu ne peut pas rattacher la fiche ou le texte à son axe.

Corrigez l'identifiant (l'aide du message propose le plus proche) ou déclarez l'axe dans
data/axes.yaml. Les identifiants s'écrivent exactement comme déclarés : minuscules, tirets.

Exemple, dans data/fiches/mediatheques.yaml :

    id: mediatheques
    axe: competence-politiques-publiques   # déclaré : competences-politiques-publiques
"#;

    BasculeImpossible = "bascule-impossible", Erreur,
        "Le serveur ne permet pas de basculer vers la nouvelle version",
        r#"`mutu publish` dépose la nouvelle version du site à côté de l'ancienne, puis
« bascule » : il la met en service d'un seul coup. Le serveur a refusé cette bascule : en SFTP, il
ne sait pas remplacer un nom d'un bloc (extension posix-rename@openssh.com absente) ; en WebDAV,
la destination existe déjà (HTTP 412), souvent parce qu'une autre publication est en cours. Le
site servi reste l'ancien, complet.

En WebDAV, attendez la fin de l'autre publication puis relancez. En SFTP, demandez à
l'hébergeur un serveur OpenSSH, ou publiez vers un partage monté (un dossier).

Exemple :

    mutu publish --cible /mnt/extranet/mutualisation
"#;

    BaseNulle = "base-nulle", Erreur,
        "Clé de répartition dont la base totale est nulle",
        r#"Pour répartir un coût, mutu le partage au prorata des valeurs de base de la clé
(population, nombre d'actes, valeur saisie…). Pour l'exercice indiqué, la somme de ces valeurs est
nulle pour les bénéficiaires retenus : aucune part ne peut être calculée, car il faudrait diviser
par zéro.

Vérifiez les valeurs de la clé pour cet exercice dans data/cles.yaml (toutes à 0, ou
absentes), les exonérations et les périodes de `prorata` qui peuvent ramener un bénéficiaire
à zéro ; au moins un bénéficiaire doit avoir une valeur positive.

Exemple, dans data/cles.yaml :

    valeurs_par_exercice:
      2023: {landerneau: 0, la-forest-landerneau: 0}   # base totale nulle
"#;

    CaractereInterdit = "caractere-interdit", Erreur,
        "Caractère de contrôle invisible dans un fichier",
        r#"Un fichier YAML de data/ ou un texte Markdown de content/ contient un caractère de
contrôle (caractère invisible, par exemple U+0007 ou U+001B), que le format YAML interdit. Il
vient le plus souvent d'un copier-coller depuis un autre logiciel ; il peut aussi signaler un
fichier qui n'est pas du texte (un document de traitement de texte renommé en .yaml, par exemple).

Ouvrez le fichier dans un éditeur de texte, placez-vous à la ligne et à la colonne indiquées
et supprimez le caractère (retapez au besoin le mot qui l'entoure). Les tabulations et
retours à la ligne restent admis.

Exemple de message :

    erreur[caractere-interdit] : caractère de contrôle interdit (U+0007)
      --> data/services/garage-commun.yaml:3:12
"#;

    CatalogueVide = "catalogue-vide", Erreur,
        "Catalogue des services demandé sans aucune offre",
        r#"`mutu pdf --catalogue` produit le catalogue des services : l'offre de chaque service qui en
décrit une (bloc `offre:` de son fichier dans data/services/). Aucun service du projet n'en a :
il n'y a rien à imprimer, et mutu ne produit pas de document vide.

Décrivez l'offre d'au moins un service (ce qu'il fait, son prix, les conditions d'adhésion,
un contact), puis relancez la commande. `mutu aide offre` décrit chaque clé.

Exemple, dans data/services/instruction-ads.yaml :

    offre:
      description: Instruction des permis et déclarations pour le compte des maires.
      unite: acte instruit
      prix:
        exercice: 2025
        tarif: 180
"#;

    CelluleInvalide = "cellule-invalide", Erreur,
        "Cellule importée qui ne contient pas un nombre",
        r#"Lors d'un `mutu import`, une cellule où mutu attend un chiffre contient une valeur d'un
autre genre : une date, une durée, une valeur logique (VRAI/FAUX), une erreur de formule (#DIV/0!,
#REF!…) ou un nombre non fini. mutu ne devine pas le chiffre voulu et n'écrit rien.

Remplacez le contenu de la cellule par le nombre attendu (corrigez la formule, ou changez le
format de la cellule de « Date » en « Nombre »), ou videz-la : une cellule vide ne change rien.

Exemple : dans une feuille « clé: sc-scp », la cellule `chiffres.xlsx!Feuil1!C3` affiche
#DIV/0! ; corrigez la formule pour qu'elle donne un nombre, par exemple :

    =B3/B10
"#;

    CertificatNonReconnu = "certificat-non-reconnu", Erreur,
        "Certificat du serveur WebDAV non reconnu",
        r#"Pour une cible `webdavs://`, mutu vérifie toujours le certificat TLS du serveur, comme un
navigateur. Ce certificat n'est pas reconnu : il est périmé, émis pour un autre nom de serveur,
ou signé par une autorité que cet ordinateur ne connaît pas (autorité interne d'une
collectivité, par exemple). mutu ne désactive jamais cette vérification ; rien n'a été publié.

Signalez-le à l'hébergeur, ou installez le certificat de l'autorité interne dans le magasin
de certificats du système ; la variable CURL_CA_BUNDLE peut aussi nommer le fichier de cette
autorité.

Exemple :

    CURL_CA_BUNDLE=/etc/ssl/autorite-interne.pem mutu publish
"#;

    ChampManquant = "champ-manquant", Erreur,
        "Champ obligatoire absent",
        r#"Un champ obligatoire manque : une clé exigée par le format dans un fichier YAML (par
exemple `id` d'un service), le code `insee` d'une commune membre, un champ qu'exige la base d'une
clé de répartition (`millesime` pour une clé de population…), ou l'`id` dans l'en-tête d'un texte
de content/ rattaché à un axe, une fiche, un service, un membre, ou d'une page libre. Sans lui,
mutu ne peut pas interpréter le bloc.

Ajoutez le champ au niveau d'indentation indiqué ; `mutu aide <champ>` décrit chaque champ.

Exemple, dans data/territoire.yaml, une commune sans code INSEE :

    membres:
      - id: la-forest-landerneau
        nom: "La Forest-Landerneau"
        type: commune
        insee: "29055"   # ligne à ajouter
"#;

    CheminAbsolu = "chemin-absolu", Erreur,
        "Image ou fichier désigné par un chemin absolu",
        r#"Un texte de content/ cite une image ou un fichier par un chemin absolu (`/etc/…`,
`C:\images\…`). Un tel chemin ne vaut que sur votre ordinateur : le site et le projet copiés
ailleurs ne le trouveraient plus. mutu n'accepte que des fichiers du projet, désignés par un
chemin relatif au texte qui les cite.

Placez le fichier dans le dossier du projet (par exemple sous content/images/) et écrivez son
chemin depuis le fichier Markdown.

Exemple, dans content/services/ads.md :

    ![Plan du territoire](C:\Users\dgs\plan.png)    refusé
    ![Plan du territoire](../images/plan.png)       correct
"#;

    CheminHorsProjet = "chemin-hors-projet", Erreur,
        "Chemin qui mène hors du dossier du projet",
        r#"Un chemin sort du dossier du projet : une image ou un lien d'un texte de content/ qui
remonte trop haut (`../../…`), le logo (`epci.logo`) placé hors du projet, ou un fichier ou
dossier du projet qui est un lien symbolique menant ailleurs. mutu ne lit et ne publie rien en
dehors du dossier du projet, pour que le site ne divulgue jamais un fichier de votre ordinateur.

Copiez le fichier dans le projet (au lieu d'un lien symbolique) et écrivez son chemin depuis le
texte qui le cite ; le chemin du logo s'écrit depuis la racine du projet.

Exemple, dans data/territoire.yaml :

    epci:
      logo: ../logos/capld.svg          # refusé : hors du projet
      logo: content/images/logo.svg     # correct
"#;

    CheminIntrouvable = "chemin-introuvable", Erreur,
        "Dossier de publication introuvable sur le serveur",
        r#"Pendant `mutu publish`, le serveur SFTP ou WebDAV indique qu'un chemin n'existe pas (en
WebDAV, réponse HTTP 404 ou 409). Le plus souvent, le dossier parent de la cible n'existe pas
sur le serveur : mutu crée le dossier de la cible lui-même, mais pas ses parents. Le site
servi n'a pas changé.

Vérifiez le chemin dans la cible (`publication.cible` de data/configuration.yaml ou
`--cible`) et créez au besoin le dossier parent sur le serveur, avec votre client habituel.

Exemple : pour la cible ci-dessous, le dossier /www doit exister sur le serveur.

    publication:
      cible: "sftp://dgs@extranet.example.fr/www/mutualisation"
"#;

    CheminVide = "chemin-vide", Erreur,
        "Image, lien ou logo sans chemin",
        r#"Une image ou un lien vers un fichier d'un texte de content/ a des parenthèses vides, ou
le logo de l'EPCI (`epci.logo` dans data/territoire.yaml) est vide. mutu ne sait pas quel fichier
copier dans le site.

Écrivez entre les parenthèses le chemin du fichier depuis le texte, ou supprimez l'image ; pour
le logo, indiquez son chemin depuis la racine du projet ou supprimez la ligne `logo:`.

Exemple, dans un texte de content/ :

    ![Plan du territoire]()              refusé
    ![Plan du territoire](images/plan.png)
"#;

    CibleAbsente = "cible-absente", Erreur,
        "Aucune cible de publication indiquée",
        r#"`mutu publish` ne sait pas où envoyer le site : l'option `--cible` n'est pas donnée et
data/configuration.yaml n'a pas de bloc `publication:` avec une `cible:`. Rien n'a été publié.

Indiquez la cible sur la ligne de commande, ou inscrivez-la une fois pour toutes dans
data/configuration.yaml. Une cible est un dossier (un partage monté), une adresse
`sftp://utilisateur@hote/chemin` ou `webdavs://utilisateur@hote/chemin`.

Exemple, dans data/configuration.yaml :

    publication:
      cible: "sftp://dgs@extranet.example.fr/www/mutualisation"

ou, pour une fois : `mutu publish --cible /mnt/extranet/mutualisation`.
"#;

    CibleEtrangere = "cible-etrangere", Erreur,
        "La cible de publication contient des éléments que mutu n'a pas créés",
        r#"mutu ne publie que dans un dossier vide ou dans un dossier qu'il gère déjà (qui
contient son marqueur `.mutu-publication`), et ne supprime ou ne modifie que ce qu'il y a créé. La
cible n'est pas vide et n'a pas été préparée par mutu, ou elle contient un élément inattendu (un
fichier `notes.txt`, un dossier `.ssh`, un `.DS_Store` laissé par un Mac, un `courant` qui n'est
pas le lien posé par mutu…). Pour ne rien effacer d'autre que le site, mutu s'arrête avant toute
écriture ; le message nomme l'élément trouvé.

Déplacez l'élément nommé hors de la cible, ou publiez dans un sous-dossier vide, puis relancez.

Exemple : la cible /mnt/extranet contient déjà d'autres fichiers ; publiez plutôt dans un
sous-dossier neuf :

    mutu publish --cible /mnt/extranet/mutualisation
"#;

    CibleInvalide = "cible-invalide", Erreur,
        "Adresse de la cible de publication invalide",
        r#"La cible de publication (option `--cible`, ou `publication.cible` dans
data/configuration.yaml) ne peut pas être lue : elle est vide, son type est inconnu (ni un
dossier, ni `sftp://`, ni `webdav://` ou `webdavs://`), ou l'utilisateur ou l'hôte contient un
caractère refusé (espace, caractère de contrôle, tiret en tête…). `mutu check` la signale à sa
ligne, et `mutu publish` la refuse de la même façon.

Récrivez l'adresse sous l'une des formes admises ; l'utilisateur et l'hôte s'écrivent en
lettres, chiffres, `-`, `.` et `_`.

Exemple, dans data/configuration.yaml :

    publication:
      cible: "ftp://extranet.example.fr/www"                        # refusé
      cible: "sftp://dgs@extranet.example.fr/www/mutualisation"     # correct
"#;

    CibleRefusee = "cible-refusee", Erreur,
        "Dossier de publication interdit",
        r#"La cible de `mutu publish` est un dossier que mutu refuse : le dossier du projet ou
l'un de ses sous-dossiers, le dossier du site construit, la racine du disque ou votre dossier
personnel. La cible reçoit des copies du site et mutu y gère lui-même ses versions : la placer
dans le projet ou sur un dossier aussi large risquerait de mélanger ou d'effacer vos fichiers.

Indiquez un dossier à part, hors du projet, par exemple le partage monté de l'extranet.

Exemple :

    mutu publish --cible ./site-publie                    # refusé : dans le projet
    mutu publish --cible /mnt/extranet/mutualisation      # correct
"#;

    ClasseurIllisible = "classeur-illisible", Erreur,
        "Classeur ou CSV à importer illisible",
        r#"`mutu import` n'a pas pu lire le fichier qu'on lui a donné : il n'existe pas, il est abîmé,
son contenu n'est pas du format que dit son extension (un .xls renommé en .xlsx, une page web
enregistrée en .csv), ou le CSV est mal formé. Le message donne la raison ; rien n'est écrit.

Ouvrez le fichier dans votre tableur et enregistrez-le de nouveau au format .ods, .xlsx ou
.csv (séparateur point-virgule ou virgule, encodage UTF-8 de préférence), puis relancez.

Exemple :

    mutu import chiffres-2024.xlsx            erreur[classeur-illisible] si le fichier
                                              est en réalité un ancien .xls renommé
"#;

    CleEnDouble = "cle-en-double", Erreur,
        "Même clé écrite deux fois dans un bloc YAML",
        r#"Un bloc d'un fichier YAML (ou de l'en-tête d'un texte de content/) contient deux fois
la même clé. Seule l'une des deux valeurs pourrait être retenue : plutôt que de choisir en
silence, mutu refuse le fichier.

Supprimez l'une des deux lignes, ou fusionnez leurs valeurs. Vérifiez aussi l'indentation :
une ligne mal indentée peut tomber dans le bloc voisin, qui a déjà cette clé.

Exemple, dans data/territoire.yaml :

    epci:
      id: capld
      nom: "Communauté d'agglomération du Pays de Landerneau-Daoulas"
      nom: "CAPLD"        # deuxième « nom » : à supprimer (c'est le `sigle`)
"#;

    CleHoteChangee = "cle-hote-changee", Erreur,
        "La clé SSH du serveur SFTP a changé",
        r#"La clé par laquelle le serveur SFTP s'identifie n'est plus celle que cet ordinateur a
enregistrée lors de la dernière connexion (fichier known_hosts). Ce peut être une
réinstallation du serveur, ou une tentative d'usurpation : mutu refuse la connexion, comme
ssh, et n'envoie rien.

Vérifiez l'empreinte de la nouvelle clé auprès de l'hébergeur. Si elle est légitime, retirez
l'ancienne clé puis reconnectez-vous une fois à la main avec `ssh` pour enregistrer la
nouvelle, avant de relancer la publication.

Exemple :

    ssh-keygen -R extranet.example.fr
    ssh dgs@extranet.example.fr
"#;

    CleInconnue = "cle-inconnue", Erreur,
        "Clé inconnue dans un fichier YAML",
        r#"Le fichier contient une clé que mutu ne connaît pas à cet endroit, le plus souvent une
faute de frappe ou une clé placée au mauvais niveau d'indentation. mutu refuse la clé plutôt que
de l'ignorer, pour qu'aucune donnée saisie ne disparaisse en silence.

Corrigez l'orthographe (l'aide du message propose la clé la plus proche) ou remontez/descendez la
ligne d'un niveau. Les clés s'écrivent en minuscules, sans accents, avec des tirets bas ;
`mutu aide <clé>` décrit chaque clé.

Exemple, dans data/territoire.yaml :

    epci:
      id: capld
      sigel: CAPLD     # « sigle »
"#;

    CleIntrouvable = "cle-introuvable", Erreur,
        "Fichier de clé SSH introuvable",
        r#"Le fichier de clé privée nommé pour la publication SFTP (option `--cle` ou variable
d'environnement MUTU_CLE_SSH) n'existe pas, ou n'est pas un fichier. mutu ne peut pas
s'authentifier auprès du serveur ; rien n'a été publié.

Vérifiez le chemin du fichier de la clé privée (pas celui de la clé publique, en .pub), ou
chargez la clé dans l'agent SSH avec `ssh-add` et n'indiquez pas `--cle`.

Exemple :

    mutu publish --cle ~/.ssh/id_ed2519     # faute de frappe : fichier introuvable
    mutu publish --cle ~/.ssh/id_ed25519
"#;

    CleRepartitionInconnue = "cle-repartition-inconnue", Erreur,
        "Référence à une clé de répartition qui n'est pas déclarée",
        r#"Un service désigne une clé de répartition dont l'identifiant n'est pas déclaré dans
data/cles.yaml : dans une étape de répartition (`repartitions[].etapes[].cle`) ou une
composante (`composantes[].cle`). mutu ne sait pas comment partager le coût. Le même code
signale, lors d'un `mutu import`, une feuille dont la cellule A1 (`clé: <identifiant>`) nomme
une clé inconnue : rien n'est importé.

Corrigez l'identifiant (l'aide du message propose le plus proche) ou déclarez la clé dans
data/cles.yaml.

Exemple, dans data/services/garage-commun.yaml :

    repartitions:
      - exercice: 2023
        etapes:
          - cle: forfait-garag     # déclarée : forfait-garage
"#;

    CommuneHorsEpci = "commune-hors-epci", Avertissement,
        "Commune membre qui n'appartient pas à l'EPCI selon le référentiel",
        r#"Une commune déclarée dans `membres` de data/territoire.yaml a un code INSEE qui, selon le
référentiel officiel des EPCI, désigne une commune d'un autre EPCI. C'est souvent une erreur de
code INSEE, ou un reste du projet dont on est parti. mutu avertit sans bloquer, car le
référentiel peut avoir un temps de retard sur une fusion ou un changement de périmètre.

Vérifiez le code INSEE de la commune. Si elle appartient vraiment à un autre EPCI et prend part
à une mutualisation, déclarez-la dans `partenaires` plutôt que dans `membres`.

Exemple, dans data/territoire.yaml :

    membres:
      - id: la-forest-landerneau
        type: commune
        insee: "29102"     # code d'une autre commune : vérifiez sur insee.fr
"#;

    ConfigurationInvalide = "configuration-invalide", Erreur,
        "Bloc publication illisible dans la configuration",
        r#"`mutu publish` lit la cible dans le bloc `publication:` de data/configuration.yaml, même
quand le reste du projet a des erreurs. Ce bloc (ou le fichier lui-même) ne peut pas être lu :
erreur de syntaxe YAML, clé inconnue, valeur d'un mauvais type… Rien n'a été publié.

Lancez `mutu check`, qui montre l'erreur en détail avec sa ligne, corrigez-la, puis relancez.
Vous pouvez aussi donner la cible directement avec `--cible`.

Exemple de bloc correct :

    publication:
      cible: "sftp://dgs@extranet.example.fr/www/mutualisation"
"#;

    ConnexionCoupee = "connexion-coupee", Erreur,
        "Connexion au serveur WebDAV coupée pendant la publication",
        r#"Pendant `mutu publish` vers une cible WebDAV, la connexion avec le serveur a été coupée
au milieu d'une requête (réseau instable, serveur redémarré, délai dépassé côté serveur). La
nouvelle version n'a pas été mise en service : le site servi n'a pas changé.

Relancez la publication : mutu reprend proprement et efface les restes de la tentative
interrompue. Si la coupure se répète, vérifiez la connexion réseau (VPN) ou interrogez
l'hébergeur.

Exemple :

    mutu publish
"#;

    ConnexionRefusee = "connexion-refusee", Erreur,
        "Le serveur de publication refuse la connexion",
        r#"Le serveur de la cible a été trouvé mais refuse immédiatement la connexion : aucun
service SSH ou WebDAV n'écoute sur le port utilisé, ou un pare-feu la bloque. Rien n'a été publié.

Vérifiez le port dans l'adresse de la cible (par défaut 22 pour sftp://, 443 pour webdavs://,
80 pour webdav://), que le service est bien ouvert sur le serveur, et votre connexion au
réseau.

Exemple, pour un serveur SFTP qui écoute sur le port 2222 :

    publication:
      cible: "sftp://dgs@extranet.example.fr:2222/www/mutualisation"
"#;

    CurlAbsent = "curl-absent", Erreur,
        "Commande curl introuvable pour publier en WebDAV",
        r#"mutu publie vers une cible `webdav://` ou `webdavs://` à l'aide de la commande `curl`
(version 7.75 ou plus récente), qu'il n'a pas pu lancer sur cet ordinateur. Rien n'a été
publié.

Installez curl : il est déjà présent sous macOS et Windows 10 et suivants ; sous Debian ou
Ubuntu, installez le paquet curl. Vérifiez ensuite qu'il répond dans un terminal.

Exemple :

    sudo apt install curl
    curl --version
"#;

    DateIncoherente = "date-incoherente", Erreur,
        "Dates dans un ordre impossible",
        r#"Deux dates du projet se contredisent : la transmission en préfecture
(`transmission.envoi` de data/rapport.yaml) précède la date du conseil (`date_conseil`) ; le
conseil a lieu avant la fin de l'exercice du rapport ; ou une période de `prorata` d'une clé
de répartition a sa date de fin (`au:`) avant sa date de début (`du:`). mutu refuse de
publier un rapport ou de calculer des parts sur des dates impossibles.

Vérifiez les deux dates citées par le message : elles sont souvent inversées ou d'une mauvaise
année. Le rapport d'un exercice est présenté au conseil de l'année qui suit.

Exemple, dans data/cles.yaml :

    prorata:
      la-forest-landerneau: {du: 2023-07-01, au: 2023-03-31}   # inversées
"#;

    DateInvalide = "date-invalide", Erreur,
        "Date illisible ou qui n'existe pas",
        r#"Un champ de date contient un texte que mutu ne lit pas comme une date, ou une date qui
n'existe pas (un 31 avril, un 29 février d'une année non bissextile). mutu refuse plutôt que
de deviner, pour ne pas publier une date fausse.

Écrivez une date réelle, au format AAAA-MM-JJ (2024-03-29) ou JJ/MM/AAAA (29/03/2024) ; pas
de mois en lettres.

Exemple, dans data/rapport.yaml :

    date_conseil: 2024-04-31      # le 31 avril n'existe pas
    date_conseil: 29 mars 2024    # mois en lettres : refusé
    date_conseil: 2024-03-29      # correct
"#;

    DisquePlein = "disque-plein", Erreur,
        "Plus de place sur la cible de publication",
        r#"Pendant `mutu publish`, le disque ou le compte de la cible n'a plus de place (disque
plein, quota atteint ; en WebDAV, réponse HTTP 507). La nouvelle version n'a pas été mise en
service : le site servi n'a pas changé.

Libérez de l'espace sur la cible, ou demandez à l'hébergeur un quota plus grand, puis relancez.
mutu garde sur la cible la version servie et celle qu'elle a remplacée, et efface lui-même les
versions plus anciennes et les restes des publications interrompues.

Exemple :

    mutu publish --cible sftp://dgs@extranet.example.fr/www/mutualisation
"#;

    DocumentLienCasse = "document-lien-casse", Erreur,
        "Lien interne du site vers une page inexistante (erreur de mutu)",
        r#"Avant d'écrire le site, mutu vérifie la cohérence du document qu'il a lui-même produit.
Une page générée (un tableau ou une liste de liens) renvoie vers une page du site qui n'existe
pas. Ce n'est pas une erreur de vos données : c'est un défaut de mutu, qui s'arrête plutôt que de
publier un site aux liens cassés.

Signalez-le aux mainteneurs de mutu, en joignant la commande lancée, le message complet et, si
possible, une copie du projet (ou le fichier data/ concerné). En attendant une correction, la
version précédente du site reste en place.

Exemple de commande à mentionner dans le signalement :

    mutu build
"#;

    DocumentPageEnDouble = "document-page-en-double", Erreur,
        "Deux pages du site généré ont le même identifiant (erreur de mutu)",
        r#"Avant d'écrire le site, mutu vérifie la cohérence du document qu'il a lui-même produit :
deux de ses pages portent le même identifiant, donc la même adresse, et l'une écraserait
l'autre. Ce n'est pas une erreur de vos données (deux pages libres de même adresse sont
`page-en-double`, signalé par `mutu check` avec le fichier) : c'est un défaut de mutu, qui
s'arrête plutôt que de publier un site incomplet.

Signalez-le aux mainteneurs de mutu avec la commande lancée, le message complet et, si
possible, une copie du projet.

Exemple de message :

    erreur[document-page-en-double] : deux pages ont l'identifiant « services »
"#;

    EcritureImpossible = "ecriture-impossible", Erreur,
        "Écriture impossible sur le disque",
        r#"mutu n'a pas pu écrire un fichier ou un dossier : le dossier de sortie du site (`mutu
build`), un fichier temporaire, ou un fichier de la cible lors d'une publication dans un
dossier. La raison donnée par le système est dans le message : disque plein, droits
d'écriture manquants, disque en lecture seule, fichier ouvert par un autre programme… Le
dossier précédent et le site servi restent intacts.

Suivez l'aide du message : libérez de la place, vérifiez les droits du dossier, fermez le
programme qui utilise le fichier, ou écrivez ailleurs.

Exemple : le dossier de sortie est sur une clé en lecture seule ; écrivez-le ailleurs :

    mutu build --sortie ~/mutualisation/site
"#;

    EncodageInvalide = "encodage-invalide", Erreur,
        "Fichier qui n'est pas encodé en UTF-8",
        r#"Un fichier YAML de data/ ou un texte Markdown de content/ n'est pas enregistré en UTF-8 :
l'octet indiqué n'est pas valide dans cet encodage. C'est souvent un fichier enregistré en
« Windows-1252 » ou « ISO-8859-1 » par un ancien éditeur, ou collé depuis un autre logiciel ;
les lettres accentuées y sont codées autrement. mutu ne devine pas l'encodage, pour ne pas
altérer les accents.

Dans votre éditeur, rouvrez le fichier et enregistrez-le avec l'encodage « UTF-8 » (menu
« Enregistrer sous », option Encodage), puis vérifiez les accents.

Exemple de message :

    erreur[encodage-invalide] : le fichier n'est pas encodé en UTF-8 : octet 0xE9 invalide
      --> data/services/garage-commun.yaml:2:11
"#;

    EnqueteIncoherente = "enquete-incoherente", Erreur,
        "Enquête de satisfaction aux chiffres incohérents",
        r#"Une enquête de satisfaction d'un service (`enquetes:`) donne, pour une année et une
question, le nombre de réponses à chaque niveau de son échelle. Ici les chiffres ne vont pas
ensemble : autant de nombres dans `reponses` que de niveaux dans `echelle`, une échelle d'au
moins deux niveaux, pas plus de réponses que d'organismes sollicités (`sollicites`), et une
seule enquête par question et par année. mutu refuse plutôt que de publier des parts fausses.

Corrigez la ligne désignée : ajoutez le nombre qui manque (0 si personne n'a choisi ce niveau),
ou corrigez le nombre d'organismes sollicités.

Exemple, dans data/services/garage-commun.yaml :

    enquetes:
      - exercice: 2023
        question: Êtes-vous satisfait des délais d'intervention ?
        echelle: [Très satisfait, Satisfait, Peu satisfait, Pas satisfait]
        reponses: [6, 7, 2, 0]
        sollicites: 16
"#;

    EnteteManquante = "entete-manquante", Erreur,
        "Texte Markdown sans en-tête YAML",
        r#"Chaque fichier .md de content/ doit commencer par un en-tête YAML entre deux lignes
`---`, qui dit au moins à quoi le texte se rattache (`objet:`). Ce fichier n'en a pas : mutu ne
sait pas où placer le texte.

Ajoutez l'en-tête tout en haut du fichier (la première ligne doit être `---`), avec `objet:` et,
selon l'objet, `id:`.

Exemple, en tête de content/services/garage-commun.md :

    ---
    objet: service
    id: garage-commun
    titre: "Le garage commun en 2023"
    ---
    Le texte commence ici.
"#;

    EnteteNonFermee = "entete-non-fermee", Erreur,
        "En-tête YAML d'un texte Markdown jamais fermé",
        r#"Le fichier .md commence par une ligne `---` qui ouvre l'en-tête YAML, mais aucune autre
ligne `---` ne le ferme : mutu ne sait pas où s'arrêtent les champs de l'en-tête et où commence le
texte.

Ajoutez, après les champs de l'en-tête, une ligne contenant seulement `---` (trois tirets,
sans espace avant).

Exemple, dans content/edito.md :

    ---
    objet: rapport
    titre: "Édito"
    ---              <- ligne manquante
    Le texte commence ici.
"#;

    EnvoiEchoue = "envoi-echoue", Erreur,
        "Écriture d'un fichier refusée par le serveur SFTP",
        r#"Pendant `mutu publish` vers une cible SFTP, le serveur a signalé un échec en écrivant un
fichier du site (« Failure »), sans en donner la raison. C'est le plus souvent un disque plein
ou un quota atteint sur le serveur. La nouvelle version n'a pas été mise en service : le site
servi n'a pas changé.

Vérifiez l'espace libre sur le compte (ou demandez à l'hébergeur), puis relancez la
publication ; mutu efface les restes de la tentative interrompue.

Exemple :

    mutu publish --cible sftp://dgs@extranet.example.fr/www/mutualisation
"#;

    EspaceReserve = "espace-reserve", Avertissement,
        "Valeur encore à saisir : le document est un projet",
        r#"Une valeur ou un texte contient encore « à compléter » ou « à vérifier » (dans un
commentaire YAML, seulement en majuscules : « # À VÉRIFIER »). `mutu new` écrit ces marques là où
seule la collectivité connaît la valeur. Tant qu'il en reste une, mutu construit quand même le
site et le PDF, mais chaque page porte la mention « Projet — document non définitif », pour qu'un
brouillon ne soit jamais pris pour le document adopté.

Remplacez la marque par la valeur définitive, ou retirez le commentaire une fois la valeur
vérifiée.

Exemple, dans data/rapport.yaml :

    deliberation: "à compléter"          # avant
    deliberation: DCC2024_054            # après
"#;

    EtapeCyclique = "etape-cyclique", Erreur,
        "Étape qui repartage une part avec son propre bénéficiaire",
        r#"Une étape de répartition repartage la part d'un organisme (`part_de`) avec une clé dont
cet organisme est lui-même bénéficiaire : sa part reviendrait en partie vers lui, et le calcul
tournerait en boucle. mutu refuse cette étape.

Utilisez, pour cette étape, une clé dont les bénéficiaires ne comprennent pas l'organisme
repartagé. Pour que l'EPCI garde une partie de sa part, utilisez `prise_en_charge_epci` dans
la clé, ou répartissez directement à la première étape.

Exemple, dans data/services/instruction-ads.yaml :

    etapes:
      - cle: ads-epci
      - cle: ads-communes
        part_de: capld     # refusé si la clé ads-communes a capld parmi ses bénéficiaires
"#;

    EtapeInvalide = "etape-invalide", Erreur,
        "Étape de répartition mal construite",
        r#"Les étapes d'une répartition s'enchaînent selon des règles précises, et l'une d'elles
n'est pas respectée : la première étape partage le montant total et ne peut pas avoir `part_de` ;
chaque étape suivante doit dire, avec `part_de`, quelle part d'une étape précédente elle
repartage ; l'organisme nommé par `part_de` doit avoir reçu une part auparavant ; une clé
tarifaire (`unites_d_oeuvre`, `grille`) ne sert qu'à la première étape.

Corrigez l'étape signalée : retirez `part_de` de la première étape, ajoutez-le aux suivantes,
ou choisissez un bénéficiaire disponible (l'aide les liste).

Exemple, dans data/services/instruction-ads.yaml :

    etapes:
      - cle: ads-epci
      - cle: ads-communes
        part_de: capld     # ligne manquante : quelle part repartager ?
"#;

    FeuilleEnDouble = "feuille-en-double", Erreur,
        "Deux feuilles du même nom dans le classeur importé",
        r#"Le classeur donné à `mutu import` contient deux feuilles du même nom (majuscules et
minuscules confondues). Un tableur l'interdit d'ordinaire, mais un fichier produit par un autre
logiciel peut le contenir ; la lecture confondrait alors les deux feuilles. mutu refuse le
classeur et n'écrit rien.

Renommez l'une des deux feuilles dans votre tableur, enregistrez le classeur à nouveau, puis
relancez l'import.

Exemple : les feuilles « Clés » et « clés » ; renommez la seconde « Clés 2024 », puis :

    mutu import chiffres.xlsx
"#;

    FeuilleInconnue = "feuille-inconnue", Erreur,
        "Feuille importée dont la cellule A1 annonce un contenu inconnu",
        r#"Lors d'un `mutu import`, la cellule A1 de chaque feuille dit ce qu'elle contient : un
mot, deux-points, puis ce qu'il désigne. Le mot écrit ici n'est pas l'un de ceux que mutu connaît
(`clé`, `indicateur`, `populations`, `bilan`) : il ne sait pas où ranger les chiffres de la
feuille, et n'écrit rien.

Corrigez le mot de la cellule A1 (l'aide propose le plus proche). Une feuille de notes, qui ne
doit pas être importée, ne doit pas commencer par un mot suivi de deux-points.

Exemple de cellule A1 :

    indicateurs: instruction-ads/dossiers-deposes     refusé
    indicateur: instruction-ads/dossiers-deposes      correct
"#;

    FeuilleSansObjet = "feuille-sans-objet", Erreur,
        "Aucune feuille importée ne dit ce qu'elle contient",
        r#"Lors d'un `mutu import`, la cellule A1 de chaque feuille doit dire ce qu'elle contient
(`clé: <identifiant>`, `indicateur: <service>/<indicateur>`, `populations: municipale` (ou
`dgf`, `totale`) ou `bilan: <service>`). Dans un classeur de plusieurs feuilles, une feuille
sans cette mention est ignorée ; mais ici aucune feuille ne la porte, ou le fichier CSV (ou
la feuille unique) ne la porte pas. mutu ne sait pas quoi importer et n'écrit rien.

Écrivez en A1 ce que contient la feuille, puis relancez.

Exemple de feuille (A1, puis les années en ligne 1 et les organismes en colonne A) :

    A1: clé: sc-scp    B1: 2023    C1: 2024
    A2: capld          B2: 26,40   C2: 30,5
"#;

    FeuilleVide = "feuille-vide", Erreur,
        "Feuille importée sans aucune valeur",
        r#"Lors d'un `mutu import`, une feuille dit en A1 ce qu'elle contient, mais aucune ligne
sous la ligne 1 ne porte de valeur. C'est souvent une feuille préparée puis oubliée, ou des
données collées dans une autre feuille. mutu n'écrit rien tant que l'erreur demeure.

Remplissez la feuille (une ligne par organisme, ou par ligne de bilan), ou videz aussi sa
cellule A1 pour qu'elle soit ignorée.

Exemple : la feuille dont A1 vaut `populations: dgf` n'a rien en dessous ; ajoutez par
exemple :

    A2: Landerneau    B2: 16627
"#;

    FicheInconnue = "fiche-inconnue", Erreur,
        "Texte rattaché à une fiche-action qui n'existe pas",
        r#"Un texte de content/ a pour en-tête `objet: fiche` avec un `id` qui ne correspond à
aucune fiche-action déclarée dans data/fiches/ (champ `id` de chaque fichier). mutu ne sait pas à
quelle fiche rattacher le texte.

Corrigez l'identifiant dans l'en-tête du texte (l'aide propose le plus proche), ou créez la
fiche dans data/fiches/.

Exemple, en tête de content/fiches/mediatheques.md :

    ---
    objet: fiche
    id: mediatheque      # déclarée : mediatheques
    ---
"#;

    FichierExterne = "fichier-externe", Erreur,
        "Image ou fichier pris sur un autre site",
        r#"Un texte de content/ affiche une image ou propose un fichier situé sur un autre site
(adresse `https://…`, `//…` ou `data:…`), ou le logo de l'EPCI (`epci.logo`) est une adresse
web. Le site produit par mutu ne charge aucune ressource extérieure : il doit rester complet
et lisible hors ligne, et ne pas informer un autre site des visites.

Téléchargez le fichier, placez-le dans le projet (par exemple sous content/images/) et
citez-le par son chemin. Un simple lien de lecture vers un autre site reste permis.

Exemple, dans un texte de content/ :

    ![Carte](https://www.example.fr/carte.png)     refusé
    ![Carte](images/carte.png)                     correct
"#;

    FichierIgnore = "fichier-ignore", Avertissement,
        "Fichier de data/ non reconnu, ignoré",
        r#"Le dossier data/ contient un fichier que mutu ne connaît pas : ni l'un des fichiers du
format (territoire.yaml, rapport.yaml, cles.yaml…), ni un fichier de data/services/ ou de
data/fiches/. Son contenu n'est pas lu. mutu avertit, car c'est souvent un fichier mal nommé
dont les données manqueront au rapport.

Renommez le fichier comme le format l'attend (l'aide propose le nom le plus proche), placez-le
dans le bon sous-dossier, ou rangez-le hors de data/ s'il ne sert pas au rapport.

Exemple :

    data/cle.yaml          ignoré : renommez-le data/cles.yaml
    data/garage.yaml       ignoré : placez-le dans data/services/
"#;

    FichierIllisible = "fichier-illisible", Erreur,
        "Fichier qui ne peut pas être lu",
        r#"mutu n'a pas pu lire un fichier dont le projet a besoin : une image ou un fichier cité par
un texte de content/ (ou le logo) dont le chemin désigne un dossier, ou qui ne peut pas être
ouvert (droits de lecture). Le message donne la raison. (Un classeur donné à `mutu import` qui
ne se lit pas est `classeur-illisible`.)

Vérifiez que le chemin désigne bien un fichier et que vous avez le droit de le lire.

Exemple, dans un texte de content/ :

    [le dossier](documents/)                     refusé : c'est un dossier
    [la délibération](documents/deliberation.pdf)
"#;

    FichierIntrouvable = "fichier-introuvable", Erreur,
        "Image ou fichier cité qui n'existe pas",
        r#"Un texte de content/ affiche une image ou propose un fichier dont le chemin ne mène à
aucun fichier du projet, ou le logo de l'EPCI (`epci.logo`) est introuvable. Le chemin d'un texte
s'écrit depuis le fichier Markdown qui le contient ; celui du logo, depuis la racine du projet.

Vérifiez l'orthographe du chemin et du nom (majuscules, extension) et l'emplacement du
fichier, ou ajoutez le fichier au projet.

Exemple, dans content/services/ads.md, pour le fichier content/images/plan.png :

    ![Plan du territoire](images/plan.png)       introuvable : content/services/images/plan.png
    ![Plan du territoire](../images/plan.png)    correct
"#;

    FichierManquant = "fichier-manquant", Erreur,
        "Fichier obligatoire du projet absent",
        r#"Un fichier obligatoire du projet est absent : data/configuration.yaml,
data/territoire.yaml ou data/rapport.yaml, par exemple. Le plus souvent, la commande n'a pas été
lancée dans le dossier du projet, ou le fichier a été renommé ou déplacé.

Lancez la commande dans le dossier du projet (ou indiquez-le avec `--racine`), ou rétablissez
le fichier. Pour commencer un projet, `mutu new` crée tous les fichiers nécessaires.

Exemple :

    cd ~/mutualisation
    mutu check
    mutu new mon-territoire --epci 242900801
"#;

    FichierVide = "fichier-vide", Erreur,
        "Fichier YAML sans aucune donnée",
        r#"Un fichier YAML du projet est vide, ou ne contient que des lignes vides et des
commentaires (lignes commençant par `#`). mutu ne peut pas en tirer les données attendues.

Complétez le fichier (`mutu aide format` décrit chaque fichier) ou, s'il est facultatif,
supprimez-le.

Exemple, data/axes.yaml ne contient que :

    # axes du schéma, à remplir

Complétez-le, par exemple :

    axes:
      - id: fonctions-support
        numero: 2
        titre: "Fonctions support"
"#;

    GabaritIllisible = "gabarit-illisible", Erreur,
        "Gabarit du thème qui n'est pas un texte UTF-8",
        r#"Un gabarit du thème (fichier sous themes/<nom>/templates/ du projet) n'est pas un texte
encodé en UTF-8 : enregistré dans un autre encodage (Windows-1252, par exemple), ou ce n'est pas
un fichier texte. mutu ne peut pas le lire et ne construit pas le site.

Dans votre éditeur, enregistrez le gabarit avec l'encodage « UTF-8 ». Si le fichier n'a rien à
faire là, supprimez-le : le gabarit par défaut du thème reprend sa place.

Exemple de message :

    erreur[gabarit-illisible] : le gabarit themes/capld/templates/page.html n'est pas un texte UTF-8
"#;

    GabaritInterdit = "gabarit-interdit", Erreur,
        "Gabarit du thème qui appelle une fonction interdite",
        r#"Un gabarit du thème appelle une fonction que mutu refuse : `get_env` (les variables
d'environnement de la machine, qui peuvent contenir des secrets), `now` (l'horloge) ou
`get_random` (le hasard). Un gabarit n'a accès qu'aux données du site : ainsi le site ne
divulgue rien de la machine, et deux constructions du même projet donnent le même site.

Retirez l'appel du gabarit. Pour afficher une date, utilisez les données du rapport (exercice,
date du conseil) que le gabarit reçoit.

Exemple, dans themes/capld/templates/base.html :

    <footer>Généré le {{ now() | date(format="%d/%m/%Y") }}</footer>    refusé
"#;

    GabaritInvalide = "gabarit-invalide", Erreur,
        "Gabarit du thème invalide",
        r#"Un gabarit du thème (fichier sous themes/<nom>/templates/, écrit dans le langage de
gabarits Tera) ne peut pas être chargé : erreur de syntaxe, bloc ou macro défini deux fois,
gabarit hérité (`extends`), inclus (`include`) ou importé (`import`) qui n'existe pas dans le
thème, appel d'une macro définie nulle part, ou plus de 64 balises ou parenthèses imbriquées. mutu
ne construit pas le site.

Corrigez le gabarit à la ligne indiquée (voir la documentation de Tera 1,
https://keats.github.io/tera/docs/), ou supprimez le fichier pour revenir au gabarit par
défaut du thème.

Exemple, dans themes/capld/templates/page.html :

    {% extends "bases.html" %}     le thème contient « base.html »
"#;

    GabaritRecursif = "gabarit-recursif", Erreur,
        "Gabarits du thème qui s'appellent sans fin",
        r#"Des gabarits du thème forment une boucle : un gabarit hérite de lui-même à travers
d'autres (`extends`), s'importe ou s'inclut lui-même (`import`, `include`), ou une macro s'appelle
elle-même sans que ses arguments diminuent à chaque appel. Le rendu ne s'arrêterait jamais : mutu
refuse le thème avant de construire le site.

Cassez la boucle : un gabarit ne doit pas, directement ou par d'autres, hériter de lui-même
ni s'inclure. Une macro récursive doit recevoir à chaque appel une partie plus petite de ses
données (par exemple les enfants d'une rubrique). Le message nomme les gabarits en cause.

Exemple, dans themes/capld/templates/blocs/encadre.html :

    {% include "blocs/encadre.html" %}     le gabarit s'inclut lui-même
"#;

    GabaritRendu = "gabarit-rendu", Erreur,
        "Gabarit du thème dont le rendu a échoué",
        r#"Un gabarit du thème s'est chargé sans erreur, mais son rendu a échoué pour au moins une
page du site : variable ou champ qui n'existe pas, filtre appliqué à une valeur d'un mauvais type,
division par zéro… Le message est donné une fois par gabarit, avec le nombre de pages concernées.
mutu ne construit pas le site.

Corrigez le gabarit à l'endroit indiqué : vérifiez le nom des variables (site, page, blocs…)
et testez une valeur facultative avant de l'utiliser. Supprimer le fichier fait revenir au
gabarit par défaut du thème.

Exemple, dans themes/capld/templates/page.html :

    {{ page.sous_titre | upper }}                                  échoue si absent
    {% if page.sous_titre %}{{ page.sous_titre | upper }}{% endif %}
"#;

    GitAbsent = "git-absent", Erreur,
        "La commande git est introuvable",
        r#"`mutu diff` compare deux versions du projet enregistrées avec git : il lance pour cela la
commande `git`, qui n'est pas installée sur cet ordinateur ou pas dans le PATH. Les autres
commandes de mutu n'ont pas besoin de git.

Installez git (https://git-scm.com ; sous Windows, « Git for Windows »), fermez et rouvrez le
terminal, puis vérifiez qu'il répond :

    git --version
    mutu diff HEAD~1
"#;

    GitEchoue = "git-echoue", Erreur,
        "Lecture du dépôt git impossible",
        r#"`mutu diff` lit les fichiers de la version demandée directement dans le dépôt git (commandes
`git ls-tree` et `git cat-file`) ; git a échoué ou répondu de façon inattendue. Le message
reprend l'erreur de git : dépôt abîmé, fichier verrouillé par un autre programme, disque
inaccessible.

Vérifiez que le dépôt est en bon état, puis relancez :

    git status
    git fsck
    mutu diff HEAD~1

Si git lui-même ne signale rien, signalez le problème aux mainteneurs de mutu avec le message.
"#;

    GraphiqueNonSuivi = "graphique-non-suivi", Avertissement,
        "Graphique demandé pour un indicateur tracé autrement",
        r#"Un indicateur d'activité demande un genre de graphique (`graphique:`) que ses données ne
permettent pas : des barres empilées pour un indicateur sans valeurs par organisme (une seule
série), ou un graphique par années alors qu'une seule année a une valeur pour chaque
organisme. mutu trace le graphique qui convient à ces données et avertit, pour que le choix
ne soit pas ignoré en silence.

Choisissez le graphique indiqué par le message, ou complétez les données (valeurs par
organisme dans `par_membre`, autres années) pour permettre celui demandé.

Exemple, dans data/services/instruction-ads.yaml :

    indicateurs:
      - id: dossiers-deposes
        valeurs: {2022: 6120, 2023: 6338}
        graphique: barres_empilees      # une seule série : écrivez « barres »
"#;

    GraphiqueSansTableau = "graphique-sans-tableau", Erreur,
        "Graphique du site sans tableau de données (erreur de mutu)",
        r#"Avant d'écrire le site, mutu vérifie la cohérence du document qu'il a lui-même produit :
chaque graphique doit renvoyer au tableau qui donne ses chiffres (pour l'accessibilité et les
données ouvertes). Un graphique renvoie ici à un tableau qui n'existe pas. Ce n'est pas une
erreur de vos données : c'est un défaut de mutu, qui s'arrête plutôt que de publier un
graphique sans ses chiffres.

Signalez-le aux mainteneurs de mutu, en joignant la commande lancée, le message complet et, si
possible, une copie du projet. Le site précédemment construit n'est pas modifié.

Exemple de commande à mentionner dans le signalement :

    mutu build
"#;

    GratuiteEnDouble = "gratuite-en-double", Erreur,
        "Deux seuils de gratuité pour le même genre d'organisme",
        r#"L'offre d'un service au catalogue (`offre:`) donne deux seuils de gratuité (`gratuite:`)
pour le même genre d'organisme (communes, établissements publics, ou tous quand `type:` est
absent). Les deux seuils se chevauchent : on ne saurait pas lequel s'applique à une commune
de 250 habitants. mutu refuse plutôt que de choisir.

Gardez un seul seuil par genre d'organisme.

Exemple, dans data/services/informatique.yaml :

    offre:
      gratuite:
        - type: commune
          population_inferieure_a: 300
        - type: etablissement_public
          population_inferieure_a: 1500
"#;

    GrilleIncomplete = "grille-incomplete", Erreur,
        "Grille de prix sans un montant pour chaque case",
        r#"La grille de prix d'une offre du catalogue (`offre: prix: grille:`) doit donner un
montant pour chaque palier de ses lignes et, si elle a des colonnes, pour chaque palier de ses
colonnes : `montants` a une ligne par palier de `lignes`, et chaque ligne un montant par
palier de `colonnes` (un seul sans colonnes). Il manque ici une ligne ou une case, ou il y en a
une de trop. mutu refuse plutôt que de publier un prix à deviner.

Complétez la ligne désignée, ou retirez le palier qui n'a pas de montants.

Exemple, une grille de 2 × 3 :

    grille:
      lignes:
        libelle: Volume de stockage
        paliers:
          - {libelle: 250 Go, jusqu_a: 250}
          - {libelle: 500 Go, jusqu_a: 500}
      colonnes:
        libelle: Établissements participants
        paliers:
          - {libelle: CDC seule, jusqu_a: 0}
          - {libelle: CDC + 3 EP, jusqu_a: 3}
          - {libelle: CDC + 5 EP, jusqu_a: 5}
      montants:
        - [5750, 7841, 10455]
        - [7841, 10455, 13069]
"#;

    GrillePaliersDesordonnes = "grille-paliers-desordonnes", Erreur,
        "Paliers d'une grille de prix qui ne croissent pas",
        r#"Les paliers d'une grille de prix (`lignes:` ou `colonnes:` d'une offre du catalogue)
s'écrivent du plus petit au plus grand : chaque `jusqu_a` (la borne haute du palier) doit être
strictement supérieur au précédent. Sinon un même volume tomberait dans deux paliers, ou dans
aucun. mutu refuse plutôt que de choisir.

Remettez les paliers dans l'ordre croissant, ou corrigez la borne désignée.

Exemple :

    paliers:
      - {libelle: 1 To, jusqu_a: 1000}
      - {libelle: 1,5 To, jusqu_a: 1500}
      - {libelle: 2 To, jusqu_a: 2000}
"#;

    HorsDepotGit = "hors-depot-git", Erreur,
        "Le projet n'est pas suivi par git",
        r#"`mutu diff` compare deux versions du projet enregistrées avec git ; le dossier du projet
(ou l'un de ses parents) n'est pas un dépôt git, il n'y a donc pas de version à comparer.

Pour suivre les versions du projet, créez le dépôt et enregistrez une première version ;
`mutu diff` pourra ensuite comparer chaque nouvelle version avec celle-ci :

    git init
    git add data content
    git commit -m "Rapport 2024, première version"
    mutu diff HEAD
"#;

    HoteInconnu = "hote-inconnu", Erreur,
        "Serveur SFTP dont la clé n'est pas encore connue",
        r#"C'est la première connexion de cet ordinateur à ce serveur SFTP : sa clé d'identification
n'est pas enregistrée (fichier known_hosts). Pour ne jamais envoyer le site à un serveur
usurpé, mutu n'accepte jamais de lui-même une clé inconnue, et refuse la connexion.

Connectez-vous une fois à la main avec `ssh` (ajoutez `-p PORT` si le serveur n'écoute pas sur
le port 22), comparez l'empreinte affichée avec celle que donne l'hébergeur, et répondez
« yes » ; relancez ensuite la publication.

Exemple :

    ssh -p 2222 dgs@extranet.example.fr
    mutu publish
"#;

    HoteIntrouvable = "hote-introuvable", Erreur,
        "Serveur de publication introuvable",
        r#"Le nom du serveur de la cible (SFTP ou WebDAV) ne correspond à aucune adresse connue :
faute de frappe dans le nom, serveur qui n'est joignable que depuis le réseau de la collectivité
(VPN non connecté), ou absence de connexion réseau. Rien n'a été publié.

Vérifiez le nom du serveur dans la cible (`--cible` ou `publication.cible` de
data/configuration.yaml) et votre connexion au réseau.

Exemple, dans data/configuration.yaml :

    publication:
      cible: "sftp://dgs@extranet.exemple.fr/www/mutualisation"   # « example.fr » ?
"#;

    HtmlExterne = "html-externe", Erreur,
        "HTML d'un texte qui charge une ressource d'un autre site",
        r#"Avec `html_brut: true` (data/configuration.yaml), le HTML écrit dans les textes de
content/ passe tel quel dans le site. Un de ses attributs charge ici une ressource d'un autre site
(`src`, `srcset`, `poster`, `data`, `action`, `href` d'autre chose qu'un lien, `url(…)` d'un
style). Le site ne fait aucune requête vers un autre site : il reste complet hors ligne et
n'informe personne des visites.

Téléchargez la ressource, placez-la dans le projet (par exemple sous content/images/) et
écrivez son chemin depuis le texte. Un lien `<a href="https://…">` reste permis.

Exemple, dans un texte de content/ :

    <img src="https://www.example.fr/logo.png" alt="Logo">    refusé
    <img src="images/logo.png" alt="Logo">                    correct
"#;

    HtmlInterdit = "html-interdit", Erreur,
        "HTML d'un texte qui exécuterait ou chargerait un contenu",
        r#"Avec `html_brut: true` (data/configuration.yaml), le HTML écrit dans les textes de
content/ passe tel quel dans le site. Ce HTML contient un élément ou un attribut refusé :
`<script>`, `<iframe>`, `<object>`, `<embed>`, `<base>`, `<link>`, `<meta http-equiv="refresh">`,
un attribut d'événement (`onclick=`, `onload=`…) ou du code dans un attribut (`javascript:`,
`expression()`). Le site n'exécute aucun script venu des textes et n'emmène pas le lecteur
ailleurs sans qu'il le demande.

Retirez l'élément ou l'attribut. Pour proposer un document, placez-le dans le projet et
faites-en un lien ; pour une vidéo ou une carte, faites un lien vers la page qui l'héberge.

Exemple, dans un texte de content/ :

    <iframe src="https://www.example.fr/carte"></iframe>     refusé
    [Voir la carte](https://www.example.fr/carte)            correct
"#;

    IdentifiantEnDouble = "identifiant-en-double", Erreur,
        "Même identifiant déclaré deux fois",
        r#"Deux éléments de même sorte portent le même identifiant (`id`) : deux membres ou
partenaires, deux clés de répartition, deux services, deux axes, deux fiches-actions ou deux
groupements de commandes. Les autres fichiers désignent ces éléments par leur identifiant : mutu
ne saurait pas lequel des deux est visé. L'aide donne la première déclaration.

Renommez l'un des deux (et mettez à jour les références qui le visent), ou supprimez le
doublon s'il s'agit d'une copie.

Exemple, deux fichiers de data/services/ :

    # data/services/garage-commun.yaml
    id: garage-commun
    # data/services/garage-commun-2024.yaml (copie)
    id: garage-commun        # renommez, ou supprimez ce fichier
"#;

    IdentifiantInvalide = "identifiant-invalide", Erreur,
        "Identifiant mal formé",
        r#"Un identifiant (`id`) contient des caractères refusés. Les identifiants servent de
références entre fichiers et d'adresses de pages : ils s'écrivent en lettres minuscules sans
accents, chiffres, tirets (`-`) et tirets bas (`_`), sans espace, et ne commencent pas par un
tiret. Pour une page libre de content/, l'`id` doit aussi contenir au moins une lettre ou un
chiffre.

Récrivez l'identifiant (l'aide en propose une forme valide) et mettez à jour les références
qui le visent.

Exemple, dans data/territoire.yaml :

    membres:
      - id: La Forest-Landerneau     # refusé
      - id: la-forest-landerneau     # correct
"#;

    IdentiteEtrangere = "identite-etrangere", Avertissement,
        "Texte qui nomme un autre organisme que l'EPCI du projet",
        r#"Un texte qui nomme l'éditeur du site ou du rapport (titre, mentions légales, contact
d'accessibilité, titre et signataire du rapport) cite un autre EPCI que celui du projet, un
SIREN qui n'est ni celui de l'EPCI ni celui d'un membre, ou une adresse dans une commune qui
n'est pas membre. C'est souvent un reste du projet dont on est parti. mutu avertit sans
bloquer, car la mention peut être voulue.

Remplacez la mention par celle de votre EPCI (data/territoire.yaml), ou laissez-la si elle est
juste.

Exemple, dans data/configuration.yaml :

    mentions_legales:
      hebergeur: "Hébergé par la Communauté de communes du Pays des Abers"   # autre EPCI
"#;

    ImageFormat = "image-format", Erreur,
        "Image dont l'extension n'est pas celle d'une image",
        r#"Un texte de content/ affiche comme image (`![…](…)`) un fichier dont l'extension n'est
pas celle d'une image qu'un navigateur affiche : png, jpg, jpeg, gif, webp, svg ou avif. Un
document (PDF, tableur…) ne s'affiche pas comme une image.

Pour une image, convertissez-la dans l'un de ces formats. Pour proposer un document au
téléchargement, écrivez un lien (sans le point d'exclamation).

Exemple, dans un texte de content/ :

    ![La délibération](documents/deliberation.pdf)     refusé
    [La délibération](documents/deliberation.pdf)      correct
"#;

    ImbricationExcessive = "imbrication-excessive", Erreur,
        "Fichier YAML aux crochets ou accolades imbriqués trop profond",
        r#"Le fichier YAML imbrique plus de 64 niveaux de crochets `[ ]` ou d'accolades `{ }` les
uns dans les autres. Les données de mutu n'en demandent que quelques-uns : il manque sans doute un
crochet ou une accolade fermante, ou le fichier n'est pas un fichier de données mutu. mutu
s'arrête, car lire une telle imbrication prendrait des minutes.

Vérifiez les crochets et les accolades autour de la ligne indiquée : chaque `[` et chaque `{`
doit être refermé sur la même valeur.

Exemple, dans data/cles.yaml :

    valeurs_par_exercice:
      2023: {capld: 26.40, landerneau: 73.60     # accolade fermante manquante
"#;

    ImportTropGrand = "import-trop-grand", Erreur,
        "Fichier importé qui dépasse les limites de mutu",
        r#"Le classeur ou le CSV donné à `mutu import` dépasse l'une des limites qui protègent
l'ordinateur : 20 Mo de fichier, 50 Mo de contenu une fois décompressé, 100 000 cellules par
feuille, 500 000 cellules en tout, 1 000 feuilles. Le message nomme la limite atteinte. mutu
refuse avant de lire la moindre feuille ; rien n'est écrit.

mutu importe des tableaux de saisie : découpez le classeur, ou retirez-en les feuilles et les
lignes qui ne concernent pas le projet (extractions complètes, historiques…), puis relancez.

Exemple : gardez dans un classeur à part les seules feuilles `clé: …` et `populations: …`,
puis :

    mutu import saisie-2024.ods
"#;

    IndicateurInconnu = "indicateur-inconnu", Erreur,
        "Feuille importée qui désigne un indicateur inconnu",
        r#"Lors d'un `mutu import`, la cellule A1 d'une feuille (`indicateur:
<service>/<indicateur>`) nomme un service qui existe, mais aucun de ses indicateurs ne porte cet
identifiant. mutu ne sait pas où écrire les valeurs et n'écrit rien.

Corrigez l'identifiant de l'indicateur (l'aide propose le plus proche) : c'est le champ `id`
de l'indicateur dans data/services/<service>.yaml, et non son libellé. Ou déclarez
l'indicateur dans le service.

Exemple de cellule A1 :

    indicateur: instruction-ads/dossiers          refusé
    indicateur: instruction-ads/dossiers-deposes  correct
"#;

    IndicateurValeurIgnoree = "indicateur-valeur-ignoree", Avertissement,
        "Valeur d'ensemble d'un indicateur ignorée au profit de la somme",
        r#"Pour une même année, un indicateur d'activité a à la fois des valeurs par organisme
(`par_membre`) et une valeur d'ensemble (`valeurs`), et celle-ci diffère de leur somme.
L'indicateur vaut la somme des organismes : la valeur d'ensemble n'est pas retenue, ni
contrôlée comme un total publié. mutu avertit pour qu'un écart ne passe pas inaperçu.

Supprimez la valeur de cette année dans `valeurs`. Si c'est un total publié qui doit être
contrôlé, déplacez-le dans `total_declare`.

Exemple, dans data/services/instruction-ads.yaml :

    par_membre: {capld: {2023: 3203}, clcl: {2023: 2230}}
    valeurs: {2023: 5500}           # à supprimer
    total_declare: {2023: 5433}     # si c'est un total publié
"#;

    InseeInconnu = "insee-inconnu", Erreur,
        "Code INSEE qui ne désigne aucune commune",
        r#"Le code INSEE d'un membre (`insee` dans data/territoire.yaml) est bien formé, mais ne
désigne aucune commune du code officiel géographique (COG) en vigueur. C'est souvent un code
postal pris pour le code INSEE, ou l'ancien code d'une commune fusionnée. mutu en a besoin
pour les contrôles de noms et de périmètre.

Indiquez le code INSEE (COG) de la commune : l'aide le propose quand elle trouve une commune
de ce nom dans le département. Le code INSEE se trouve sur insee.fr ; il diffère du code
postal.

Exemple, dans data/territoire.yaml :

    - id: landerneau
      nom: "Landerneau"
      insee: "29800"     # code postal : le code INSEE est "29103"
"#;

    InseeInvalide = "insee-invalide", Erreur,
        "Code INSEE mal formé",
        r#"Le code INSEE d'un membre (`insee` dans data/territoire.yaml) n'a pas la forme d'un code
officiel géographique : 5 caractères, soit 2 chiffres (ou 2A, 2B pour la Corse) puis 3
chiffres. Le zéro initial d'un code comme « 01053 » est souvent perdu par un tableur ou
oublié à la saisie.

Écrivez le code sur 5 caractères, entre guillemets. Ne le confondez pas avec le code postal.

Exemple, dans data/territoire.yaml :

    insee: "1053"      # zéro initial oublié : 4 caractères
    insee: "01053"     # correct
"#;

    LectureImpossible = "lecture-impossible", Erreur,
        "Fichier ou dossier du projet impossible à lire",
        r#"mutu n'a pas pu ouvrir un fichier (ou un dossier) du projet : le système a refusé la
lecture, le plus souvent faute de droits, ou parce que le fichier a disparu ou est verrouillé
pendant la lecture. Le fichier est alors ignoré et tout ce qui en dépend est incomplet, d'où
l'erreur. `mutu import` la signale aussi quand il ne peut pas relire un fichier YAML à modifier.

Vérifiez que le fichier existe toujours, que votre compte a le droit de le lire (propriétés du
fichier, partage réseau monté), qu'aucun autre logiciel ne le bloque, puis relancez.

Exemple, après avoir rétabli les droits de lecture :

    mutu check
"#;

    LibelleAbsent = "libelle-absent", Erreur,
        "Ligne de bilan sans intitulé dans le tableau importé",
        r#"Dans une feuille « bilan: <service> » importée par `mutu import`, une ligne a un sens
(dépense ou recette) mais sa colonne B, l'intitulé, est vide. Une ligne de bilan sans intitulé
ne pourrait ni s'afficher ni être retrouvée à l'import suivant : mutu n'écrit rien.

Tapez l'intitulé de la ligne dans la colonne B (par exemple « Frais de personnel »), ou videz
entièrement la ligne si elle ne sert pas, puis relancez l'import.

Exemple de feuille correcte (A : sens, B : intitulé, C : montant, D : membre facultatif) :

    A1 bilan: garage-commun    B1 2024    C1 ttc
    A2 dépense    B2 Frais de personnel    C2 149533
"#;

    LibelleInvalide = "libelle-invalide", Erreur,
        "Intitulé de ligne de bilan avec un caractère de contrôle",
        r#"Dans une feuille « bilan: <service> » importée par `mutu import`, l'intitulé d'une ligne
(colonne B) contient un caractère invisible de contrôle (tabulation verticale, caractère nul…),
le plus souvent venu d'un copier-coller depuis un autre logiciel. Un tel caractère casserait le
fichier YAML et l'affichage : mutu refuse la ligne et n'écrit rien. Les retours à la ligne
tapés dans la cellule, eux, sont acceptés et changés en espaces.

Retapez l'intitulé à la main dans la cellule (le message donne le code U+… du caractère),
puis relancez l'import.

Exemple :

    mutu import bilan-2024.ods
"#;

    LienCasse = "lien-casse", Erreur,
        "Lien symbolique vers un fichier introuvable",
        r#"Un fichier que mutu doit lire (dans data/, content/ ou le thème) est en réalité un lien
symbolique (un raccourci) dont la cible n'existe plus ou a été déplacée. mutu ne peut pas lire
son contenu, et refuse de continuer comme si le fichier était vide.

Remplacez le lien par le vrai fichier (copiez le fichier à cet endroit), corrigez la cible du
lien, ou supprimez le lien s'il ne sert plus.

Exemple, sous Linux ou macOS, pour remplacer le lien par une copie du fichier :

    cp --remove-destination /chemin/vers/territoire.yaml data/territoire.yaml
"#;

    LienEnBoucle = "lien-en-boucle", Avertissement,
        "Lien symbolique vers un dossier qui le contient, ignoré",
        r#"En parcourant data/, content/ ou le thème, mutu a trouvé un lien symbolique qui mène à
l'un des dossiers qui le contiennent. Le suivre ferait relire le même dossier sans fin : mutu
l'ignore et le signale, sans arrêter la construction.

Supprimez ce lien : il n'apporte aucun fichier nouveau. Si vous vouliez partager des fichiers
entre deux dossiers, copiez-les plutôt.

Exemple, pour un lien content/pages/tout qui pointe vers content/ :

    rm content/pages/tout
"#;

    LienInterdit = "lien-interdit", Erreur,
        "Lien avec un protocole refusé (javascript:, data:, file:…)",
        r#"Un lien d'un texte Markdown (ou de HTML brut) utilise un protocole autre que http:,
https:, mailto: ou tel:. Un lien « javascript: », « data: » ou « file: » pourrait exécuter du
code ou lire un fichier sur l'ordinateur du lecteur : mutu le refuse et ne l'écrit jamais dans
le site.

Remplacez le lien par une adresse https://, un lien vers une page du site ou un fichier du
projet, ou retirez-le.

Exemple, dans content/edito.md :

    Voir [le règlement](file:///C:/Documents/reglement.pdf)    <- refusé
    Voir [le règlement](documents/reglement.pdf)               <- fichier du projet
"#;

    LienIntrouvable = "lien-introuvable", Erreur,
        "Lien Markdown vers une page qui n'existe pas dans le site",
        r#"Un lien d'un texte Markdown vise une page du site (un chemin sans extension de fichier)
qui n'existe pas : faute de frappe dans l'identifiant, page renommée ou supprimée, ou page
absente de la version publique. Le lecteur tomberait sur une page introuvable : mutu le signale.

Un lien vers une page s'écrit avec l'identifiant de la page, par exemple « services/ads » ; un
lien externe commence par « https:// ». Corrigez l'identifiant ou retirez le lien.

Exemple, dans content/edito.md :

    Voir la page [du garage](services/garage)            <- aucune page de ce nom
    Voir la page [du garage](services/garage-commun)     <- identifiant du service
"#;

    LiensImpossibles = "liens-impossibles", Erreur,
        "Serveur SFTP incapable de créer des liens physiques",
        r#"Pour ne pas renvoyer les fichiers inchangés, `mutu publish` en SFTP crée sur le serveur
des liens physiques vers la version précédente. Ce serveur ne propose pas cette fonction
(extension hardlink@openssh.com). Normalement mutu s'en aperçoit seul et renvoie alors tous
les fichiers, en l'annonçant ; ce code ne devrait donc pas s'afficher comme erreur finale.

S'il s'affiche, relancez la publication ; si l'erreur persiste, c'est probablement un défaut de
mutu : signalez-le à ses mainteneurs avec la commande lancée et le type de serveur. Un serveur
OpenSSH, ou une publication sur un partage monté, évite le problème.

Exemple :

    mutu publish --cible sftp://agent@extranet.exemple.fr/www/mutualisation
"#;

    LigneEnDouble = "ligne-en-double", Erreur,
        "Organisme présent sur deux lignes d'un tableau importé",
        r#"Dans une feuille importée par `mutu import` (clé, indicateur ou populations), chaque
organisme de la colonne A doit avoir une seule ligne. Ici, le même organisme (désigné par son
identifiant, son nom, son code INSEE ou son SIREN) revient sur une deuxième ligne : mutu ne
sait pas laquelle croire et n'écrit rien.

Gardez une seule ligne par organisme : fusionnez les deux lignes ou supprimez celle qui est de
trop. Le message donne le numéro de la première ligne.

Exemple de feuille fautive (Landerneau deux fois, par son nom puis son code INSEE) :

    A1 clé: sc-srh    B1 2023    C1 2024
    A2 Landerneau     B2 60      C2 62
    A3 29103          B3 61      C3 62
"#;

    LigneInvalide = "ligne-invalide", Erreur,
        "Ligne « ensemble » dans une feuille qui ne l'admet pas",
        r#"Dans une feuille importée par `mutu import`, une ligne a « ensemble » en colonne A. Cette
ligne n'a de sens que pour un indicateur (« indicateur: <service>/<indicateur> ») : elle donne
les valeurs de l'ensemble du service. Une clé de répartition ou des populations se donnent
organisme par organisme : mutu refuse la ligne et n'écrit rien.

Remplacez « ensemble » par l'organisme concerné, ou supprimez la ligne.

Exemple de feuille fautive :

    A1 populations: municipale    B1 2024
    A2 ensemble                   B2 48 512    <- une ligne par organisme
"#;

    LigneTropLongue = "ligne-trop-longue", Erreur,
        "Ligne de plus de 10 000 caractères dans un fichier du projet",
        r#"Une ligne d'un fichier YAML ou Markdown dépasse 10 000 caractères. Le PDF ne peut pas
contenir un titre, un nom ou une ligne sans coupure aussi long (la norme PDF/A limite la taille
d'un texte d'un seul tenant) : plutôt que de couper votre texte sans le dire, mutu refuse.
Cela arrive surtout après un copier-coller d'un long texte sans retours à la ligne.

Coupez le texte en plusieurs lignes ou en paragraphes (une ligne vide entre deux paragraphes).
Un titre ou un nom doit rester court.

Exemple, dans content/edito.md, au lieu d'une seule ligne immense :

    Premier paragraphe, coupé sur plusieurs lignes
    comme on veut.

    Deuxième paragraphe.
"#;

    ListageIllisible = "listage-illisible", Erreur,
        "Nom de fichier illisible sur le serveur SFTP",
        r#"En listant le dossier de publication sur le serveur SFTP, `mutu publish` a reçu un nom de
fichier qu'il ne sait pas lire : il contient un retour à la ligne, un caractère de contrôle ou
des octets qui ne sont pas du texte UTF-8. Plutôt que de deviner (et risquer de supprimer le
mauvais fichier), mutu s'arrête ; rien n'a été modifié sur le serveur.

Renommez ou retirez ce fichier du dossier de publication sur le serveur (avec un client SFTP
comme FileZilla, ou en demandant à l'hébergeur), puis relancez la publication.

Exemple, une fois le fichier renommé :

    mutu publish --cible sftp://agent@extranet.exemple.fr/www/mutualisation
"#;

    LongueurInvalide = "longueur-invalide", Erreur,
        "Liste YAML avec un nombre d'éléments incorrect",
        r#"Une valeur YAML attend une liste d'un nombre précis d'éléments, et la liste écrite en a
trop ou pas assez. mutu ne devine pas quel élément manque ou est en trop : il refuse la valeur.
Le message indique le chemin de la clé concernée et le nombre d'éléments trouvés ; la ligne
« attendu » donne le nombre demandé.

Vérifiez la liste à l'endroit indiqué : ajoutez l'élément manquant ou retirez celui de trop, en
vous aidant de « mutu aide format » pour la forme attendue de cette clé. Si la clé n'attend
pas de liste de longueur fixe, signalez le message aux mainteneurs de mutu.

Exemple : une liste s'écrit entre crochets, éléments séparés par des virgules :

    beneficiaires: [capld, landerneau, pencran]
"#;

    MembreInconnu = "membre-inconnu", Erreur,
        "Référence à un organisme qui n'est pas déclaré",
        r#"Un identifiant d'organisme (porteur, adhérent, bénéficiaire, `part_de`, clé de
`par_membre`, `valeurs`, `montants_ht`…) ne correspond à aucun organisme déclaré dans
data/territoire.yaml : ni l'EPCI, ni un membre, ni un partenaire (ou, pour `commune` d'un membre,
aucune commune membre). mutu ne peut pas rattacher le chiffre à quelqu'un : il refuse plutôt que
de l'oublier. `mutu import` lève la même erreur quand la colonne A d'une feuille désigne un
organisme inconnu (par identifiant, nom, code INSEE ou SIREN).

Corrigez l'identifiant (l'aide propose le plus proche), ou déclarez l'organisme dans
data/territoire.yaml s'il manque.

Exemple, dans data/services/garage-commun.yaml :

    porteur: capdl          # l'EPCI est déclaré « capld »
"#;

    ModeleNonRemplace = "modele-non-remplace", Avertissement,
        "Exemple du modèle de « mutu new » pas encore remplacé",
        r#"`mutu new` remplit le projet d'exemples marqués « exemple à remplacer » (dans une valeur,
ou « EXEMPLE À REMPLACER » en capitales dans un commentaire YAML), pour qu'aucun ne soit publié
par erreur. Il en reste au moins un : mutu le signale, et tant qu'il en reste, chaque page du
site et du PDF porte la mention « Projet — document non définitif ».

Remplacez l'exemple par votre contenu (ou supprimez-le), puis retirez le marqueur « exemple à
remplacer ». Le message donne le fichier et la ligne de chacun.

Exemple, dans data/services/garage-commun.yaml :

    nom: "Garage commun (exemple à remplacer)"     # avant
    nom: "Garage commun"                           # après
"#;

    ModificationImpossible = "modification-impossible", Erreur,
        "Import : mutu ne sait pas modifier ce fichier YAML",
        r#"`mutu import` modifie les fichiers YAML comme du texte, en gardant vos commentaires et
votre mise en page. Pour l'une des valeurs à écrire, la forme du fichier ne le permet pas : la
place attendue contient autre chose qu'un nombre seul, n'est pas une table, ou est une liste
vide ou écrite entre crochets `[…]` où il faudrait ajouter une ligne. Plutôt que de réécrire le
fichier au risque de l'abîmer, mutu n'écrit rien (le message donne la ligne en cause).

Saisissez cette valeur à la main dans le fichier YAML indiqué, ou récrivez la liste concernée
avec un élément par ligne (« - … »), puis relancez l'import.

Exemple, dans data/cles.yaml, forme que l'import sait compléter :

    valeurs_par_exercice:
      2024:
        capld: 60.17
        landerneau: 39.83
"#;

    MontantAbsent = "montant-absent", Erreur,
        "Ligne de bilan sans montant dans le tableau importé",
        r#"Dans une feuille « bilan: <service> » importée par `mutu import`, une ligne a un sens et
un intitulé, mais sa colonne C, le montant, est vide. Une ligne de bilan sans montant fausserait
les totaux : mutu n'écrit rien.

Tapez le montant en euros dans la colonne C (0 si la ligne est nulle), ou videz toute la ligne
si elle ne sert pas, puis relancez l'import.

Exemple de feuille correcte :

    A1 bilan: garage-commun    B1 2024    C1 ttc
    A2 dépense    B2 Frais de personnel    C2 149533
    A3 recette    B3 Refacturation         C3 287171
"#;

    MontantInvalide = "montant-invalide", Erreur,
        "Montant illisible",
        r#"Une valeur qui doit être un montant en euros ne se lit pas comme un nombre : lettres,
unité inconnue, séparateurs mal placés, notation scientifique (`1e6`)… mutu lit les montants
exactement et ne devine pas : il refuse la valeur. Pour un impact financier (`depenses`,
`recettes`), seules les réponses « non évaluable », « à définir » et « aucun » sont admises en
toutes lettres ; une appréciation va dans `commentaire`. La même règle vaut pour les cellules
lues par `mutu import`.

Écrivez des chiffres, la virgule ou le point pour les centimes, des espaces pour les milliers,
avec ou sans « € » ; mettez entre guillemets un montant à la française.

Exemple, dans une ligne de bilan :

    montant: 257 119 euros HT      # refusé
    montant: "257 119,00 €"        # accepté
"#;

    MontantManquant = "montant-manquant", Erreur,
        "Répartition sans montant à répartir",
        r#"Une répartition n'a pas de `montant:`, et le service n'a pas de bilan du même exercice et
du même régime de taxes (HT ou TTC) dont mutu pourrait prendre le total des dépenses. mutu n'a
donc rien à partager entre les organismes et ne peut pas calculer les parts.

Ajoutez `montant:` dans la répartition, ou ajoutez au service le bilan correspondant (même
`exercice`, mêmes `taxes`). Vérifiez aussi que `taxes` est le même des deux côtés.

Exemple, dans data/services/instruction-ads.yaml :

    repartitions:
      - exercice: 2023
        libelle: "Coût 2023 de l'instruction ADS"
        taxes: ttc
        montant: 290331
"#;

    MontantTropGrand = "montant-trop-grand", Erreur,
        "Montant supérieur à 1 000 milliards d'euros",
        r#"Un montant vaut 1 000 milliards d'euros (10¹²) ou plus. Aucun budget de mutualisation
n'atteint ce chiffre : c'est presque toujours des chiffres en trop, par exemple deux montants
collés ou des centimes tapés sans virgule. mutu refuse la valeur, dans les fichiers YAML comme
dans les cellules lues par `mutu import`.

Vérifiez le nombre de chiffres ; un montant s'écrit en euros, avec au plus deux décimales utiles
(la virgule ou le point pour les centimes).

Exemple, dans une ligne de bilan :

    montant: 1495331495330      # deux montants collés
    montant: 149533
"#;

    MotDePasseAbsent = "mot-de-passe-absent", Erreur,
        "Aucun mot de passe pour la publication WebDAV",
        r#"La cible de publication est un serveur WebDAV avec un nom d'utilisateur, mais mutu n'a
pas de mot de passe : la variable d'environnement MUTU_WEBDAV_MOT_DE_PASSE n'est pas définie et
mutu n'a pas pu le demander (pas de terminal, par exemple dans une tâche planifiée), ou rien n'a
été saisi. Le mot de passe ne s'écrit jamais dans le projet, pour ne pas être publié.

Lancez `mutu publish` dans un terminal, qui demandera le mot de passe sans l'afficher, ou
définissez MUTU_WEBDAV_MOT_DE_PASSE dans l'environnement de la commande.

Exemple, sous Linux ou macOS :

    MUTU_WEBDAV_MOT_DE_PASSE='…' mutu publish --cible webdavs://agent@cloud.exemple.fr/mutualisation
"#;

    NomCommuneDifferent = "nom-commune-different", Avertissement,
        "Nom de commune différent du nom officiel de son code INSEE",
        r#"Le nom d'une commune membre ne correspond pas au nom que le code officiel géographique
(COG de l'INSEE) donne à son code `insee`. Soit le nom est mal orthographié, soit le code INSEE
est celui d'une autre commune (confusion fréquente avec le code postal, ou chiffres inversés).
mutu ne fait qu'avertir : les différences de casse, d'accents ou de tirets sont déjà tolérées.

Vérifiez le code INSEE sur insee.fr ; s'il est juste, reprenez le nom officiel indiqué dans la
ligne « attendu ».

Exemple, dans data/territoire.yaml :

    membres:
      - id: landerneau
        nom: Landernau          # nom officiel : Landerneau
        insee: "29103"
"#;

    NomEpciDifferent = "nom-epci-different", Avertissement,
        "Nom de l'EPCI différent du nom officiel de son SIREN",
        r#"Le nom de l'EPCI (`epci.nom`) ne correspond pas au nom officiel que le référentiel des
EPCI associe à son SIREN. Soit le nom est abrégé ou mal orthographié, soit le SIREN est celui
d'un autre établissement. mutu avertit seulement : les différences de casse, d'accents ou de
tirets sont déjà tolérées.

Vérifiez le SIREN (sur annuaire-entreprises.data.gouv.fr) ; s'il est juste, reprenez le nom
officiel indiqué dans la ligne « attendu ».

Exemple, dans data/territoire.yaml :

    epci:
      id: capld
      nom: "Agglomération de Landerneau"   # abrégé : reprenez le nom officiel
      siren: "242900801"
"#;

    NombreAmbigu = "nombre-ambigu", Erreur,
        "Nombre avec un point lisible de deux façons",
        r#"Un nombre ou un montant contient un point suivi d'exactement trois chiffres, comme
`1.200` ou `257.119`. Un lecteur français y voit un séparateur de milliers (1 200), alors que
YAML y voit une virgule décimale (1,2). mutu ne devine pas : il refuse la valeur, dans les
fichiers YAML comme dans les cellules lues par `mutu import`. Le message donne les deux lectures.

Écrivez le nombre sans point : `1200` ou `"1 200"` pour mille deux cents, `"1,2"` pour un
virgule deux. Les nombres comme `0.125`, `1.5` ou `12.50` restent admis.

Exemple, dans une ligne de bilan :

    montant: 1.200        # refusé : 1 200 ou 1,2 ?
    montant: 1200         # accepté
"#;

    NombreInvalide = "nombre-invalide", Erreur,
        "Nombre illisible",
        r#"Une valeur qui doit être un nombre (valeur de base d'une clé, effectif, ETP, indicateur…)
ne se lit pas comme un nombre : lettres, unité, séparateurs mal placés, notation scientifique.
mutu lit les nombres exactement et refuse ce qu'il ne comprend pas, dans les fichiers YAML comme
dans les cellules lues par `mutu import`.

Écrivez le nombre sans unité, avec le point ou la virgule décimale (entre guillemets pour la
virgule) et des espaces pour les milliers.

Exemple, dans data/services/garage-commun.yaml :

    effectifs:
      agents: 7
      etp: 5,7 ETP          # refusé
      etp: "5,7"            # accepté
"#;

    NombreTropGrand = "nombre-trop-grand", Erreur,
        "Nombre supérieur à 1 000 milliards",
        r#"Un nombre (valeur de base, indicateur, population…) vaut 1 000 milliards (10¹²) ou plus.
Aucune donnée d'intercommunalité n'atteint ce chiffre : ce sont presque toujours des chiffres en
trop, par exemple deux valeurs collées lors d'un copier-coller. mutu refuse la valeur, dans les
fichiers YAML comme dans les cellules lues par `mutu import`.

Vérifiez le nombre de chiffres et corrigez la valeur.

Exemple, dans data/cles.yaml :

    valeurs:
      capld: 60173983       # deux valeurs collées ? 60.17 et 39.83
      capld: 60.17
"#;

    NonAdherent = "non-adherent", Avertissement,
        "Clé qui fait payer un organisme non adhérent du service",
        r#"Une clé de répartition d'un service fait payer une part à un ou plusieurs organismes qui
ne figurent pas parmi les `adherents:` de ce service. C'est souvent un oubli dans la liste des
adhérents, mais cela peut aussi être une erreur dans les bénéficiaires de la clé : mutu calcule
quand même les parts et avertit, pour que le rapport ne facture pas quelqu'un par erreur.

Ajoutez l'organisme aux adhérents du service (quand toutes les communes adhèrent, une ligne
suffit : `adherents: toutes-les-communes`), ou retirez-le des bénéficiaires de la clé.

Exemple, dans data/services/instruction-ads.yaml :

    adherents:
      - membre: landerneau
      - membre: pencran       # ajouté : la clé lui fait payer une part
"#;

    OperationRefusee = "operation-refusee", Erreur,
        "Le serveur WebDAV refuse une opération de la publication",
        r#"Pendant `mutu publish` vers un serveur WebDAV, le serveur a répondu HTTP 405 : il
n'accepte pas l'une des opérations nécessaires (création de dossier, copie, déplacement…) à cet
endroit. mutu s'arrête ; le site servi n'a pas changé. Le cas le plus connu : sous Apache, un
déplacement ou une copie d'un dossier qui contient index.html vise ce fichier au lieu du dossier.

Transmettez le message à l'hébergeur ou au service informatique : sous Apache, il faut
`DirectoryIndex disabled` dans la section WebDAV. Puis relancez la publication.

Exemple, réglage Apache à ajouter dans la section du dossier WebDAV :

    DirectoryIndex disabled
"#;

    PageEnDouble = "page-en-double", Erreur,
        "Deux pages libres à la même adresse",
        r#"Deux textes de content/ déclarés comme pages libres (`objet: page`) ont des `id` qui
donnent la même adresse, pages/<id>.html (par exemple `notes` et `Notes`, ou deux fichiers avec
le même `id`). Une page écraserait l'autre dans le site : mutu refuse. Le message donne le
fichier de la première page.

Changez l'`id` de l'une des deux pages. (Deux pages du document généré de même identifiant
sont un défaut de mutu : `document-page-en-double`.)

Exemple, dans l'en-tête de content/pages/glossaire-2.md :

    ---
    objet: page
    id: glossaire-complet      # au lieu de « glossaire », déjà pris
    ---
"#;

    PageIdentifiantInvalide = "page-identifiant-invalide", Erreur,
        "Page du site avec un identifiant invalide (défaut de mutu)",
        r#"Avant d'écrire le site, mutu vérifie la cohérence du document qu'il a lui-même construit.
Une page a un identifiant qui ne peut pas servir d'adresse. Les identifiants des pages libres
sont déjà contrôlés par `mutu check` ; celui-ci vient donc d'un défaut de mutu, pas d'une
erreur de saisie. Le site n'est pas écrit, pour ne pas publier un site incohérent.

Signalez ce problème aux mainteneurs de mutu, avec le message complet, la commande lancée et si
possible une copie du projet (ou au moins du dossier data/). En attendant, le dernier `id`
modifié dans content/ ou data/ est la piste la plus probable.

Exemple de commande à joindre au signalement :

    mutu build --racine mon-projet
"#;

    PageIdentifiantReserve = "page-identifiant-reserve", Erreur,
        "Page du site avec un identifiant réservé (défaut de mutu)",
        r#"Avant d'écrire le site, mutu vérifie la cohérence du document qu'il a lui-même construit.
Une page porte un identifiant que le site réserve à ses propres fichiers (par exemple sous
donnees/, extraits/ ou recherche/). Cela ne devrait jamais arriver : c'est un défaut de mutu,
pas une erreur de saisie. Le site n'est pas écrit, pour ne pas écraser un fichier du site.

Signalez ce problème aux mainteneurs de mutu, avec le message complet, la commande lancée et si
possible une copie du projet. En attendant, changer l'`id` de l'entité nommée dans le message
peut contourner le problème.

Exemple de commande à joindre au signalement :

    mutu build --racine mon-projet
"#;

    PageParentCycle = "page-parent-cycle", Erreur,
        "Boucle dans la hiérarchie des pages du site (défaut de mutu)",
        r#"Avant d'écrire le site, mutu vérifie la cohérence du document qu'il a lui-même construit.
En remontant de page parente en page parente à partir de la page nommée, mutu revient sur une
page déjà vue : le fil d'Ariane et le plan du site seraient infinis. La hiérarchie des pages
est calculée par mutu : c'est un défaut de mutu, pas une erreur de saisie.

Signalez ce problème aux mainteneurs de mutu, avec le message complet, la commande lancée et si
possible une copie du projet. Le site n'est pas écrit tant que le défaut n'est pas corrigé.

Exemple de commande à joindre au signalement :

    mutu build --racine mon-projet
"#;

    PageParentIntrouvable = "page-parent-introuvable", Erreur,
        "Page du site rattachée à une page parente absente (défaut de mutu)",
        r#"Avant d'écrire le site, mutu vérifie la cohérence du document qu'il a lui-même construit.
Une page a pour parente une page qui n'existe pas dans le site : son fil d'Ariane et sa place
dans le plan du site seraient faux. La hiérarchie des pages est calculée par mutu : c'est un
défaut de mutu, pas une erreur de saisie (cela peut arriver, par exemple, quand une page est
omise de la version publique mais pas ses pages filles).

Signalez ce problème aux mainteneurs de mutu, avec le message complet, la commande lancée
(avec ou sans --public) et si possible une copie du projet.

Exemple de commande à joindre au signalement :

    mutu build --public --racine mon-projet
"#;

    ParticipationHorsGrille = "participation-hors-grille", Erreur,
        "Participation hors de la grille de prix",
        r#"La participation de l'EPCI à une structure extérieure (`offre: participation:`) se lit dans
la grille de prix de l'offre : la ligne du volume utilisé (`volume`), la colonne du nombre
d'établissements publics comptés (ceux du périmètre, moins ceux que la gratuité exonère). Ici le
volume dépasse le dernier palier des lignes, ou le nombre d'établissements le dernier palier des
colonnes : la grille ne donne pas de prix. mutu refuse plutôt que d'en inventer un.

Vérifiez le volume et la liste des établissements, ou complétez la grille avec le palier qui
manque (le tarif publié par la structure pour ce volume).

Exemple :

    participation:
      exercice: 2025
      perimetre: avec_communes_et_etablissements
      volume: 800          # Go : le palier « 1 To » de la grille
      etablissements: [cias-reolais, syndicat-eau]
"#;

    ParticipationSansGrille = "participation-sans-grille", Erreur,
        "Participation sans grille à deux dimensions",
        r#"La participation de l'EPCI à une structure extérieure (`offre: participation:`) se calcule
dans la grille de prix de l'offre : en ligne le volume utilisé, en colonne le nombre
d'établissements publics comptés. L'offre n'a pas de grille, ou une grille sans colonnes : rien
ne permet de calculer la participation.

Décrivez la grille de la structure (`prix: grille:` avec `lignes:` et `colonnes:`), ou retirez
`participation:` si l'EPCI n'adhère pas à cette offre.
"#;

    PartsHors100 = "parts-hors-100", Erreur,
        "Parts d'une clé forfaitaire dont la somme ne fait pas 100 %",
        r#"Une clé de répartition de base `forfait` donne à chaque bénéficiaire une part en
pourcentage ; la somme de ces parts doit faire exactement 100. Sinon, une partie du coût ne
serait facturée à personne, ou serait facturée deux fois : mutu refuse. Le contrôle vaut pour
`valeurs` comme pour chaque année de `valeurs_par_exercice`, et l'aide donne l'écart en points.

Corrigez une ou plusieurs parts pour que le total fasse 100. Attention aux arrondis : 33,33 +
33,33 + 33,33 ne fait que 99,99.

Exemple, dans data/cles.yaml :

    - id: sc-dmg
      base: forfait
      valeurs: {capld: 50, landerneau: 30, daoulas: 20}
"#;

    PasUnFichier = "pas-un-fichier", Erreur,
        "Un dossier ou un fichier spécial à la place d'un fichier",
        r#"mutu doit lire un fichier de données ou de texte à cet endroit, mais il y trouve un
dossier (ou un fichier spécial, comme un tube nommé). Cela arrive par exemple quand un dossier a été
créé avec le nom d'un fichier attendu, comme data/cles.yaml/. mutu ne peut rien en lire et s'arrête
plutôt que de faire comme si le fichier était vide.

Renommez ce dossier (son nom est celui d'un fichier de données ou de texte), puis remettez le
vrai fichier à sa place. Pour un fichier spécial, remplacez-le par un fichier texte ordinaire.

Exemple, sous Linux ou macOS :

    mv data/cles.yaml data/cles-ancien
"#;

    PdfCaractere = "pdf-caractere", Avertissement,
        "Caractère absent des polices du PDF, remplacé par « ? »",
        r#"Un texte du projet contient un caractère qu'aucune police du thème ne sait dessiner
(emoji, symbole rare, lettre d'un alphabet non couvert…). La norme PDF/A interdit un caractère
sans dessin : mutu le remplace par « ? » dans le PDF, et le signale avec les pages concernées.
Le site, lui, garde le caractère.

Remplacez le caractère dans les données ou les textes (par un mot, ou un caractère courant), ou
ajoutez au dossier fonts/ du thème du projet une police qui le contient.

Exemple, dans content/edito.md :

    Objectif atteint ✅        <- l'emoji devient « ? » dans le PDF
    Objectif atteint.
"#;

    PdfDate = "pdf-date", Erreur,
        "Date du document PDF invalide (défaut de mutu)",
        r#"Pour produire le PDF, mutu lit la date du document (`date_document` de data/rapport.yaml,
ou à défaut `date_conseil`). Ces dates sont déjà vérifiées au chargement du projet : si celle-ci
est refusée ici, c'est une incohérence interne, donc un défaut de mutu. Le PDF n'est pas
produit.

Vérifiez d'abord la date dans data/rapport.yaml (format AAAA-MM-JJ). Si elle est correcte,
signalez le problème aux mainteneurs de mutu avec le message, la commande lancée et le fichier
data/rapport.yaml.

Exemple de date attendue, dans data/rapport.yaml :

    date_document: 2024-03-29
"#;

    PdfDonnees = "pdf-donnees", Erreur,
        "Données du rapport impossibles à transmettre au PDF (défaut de mutu)",
        r#"Pour produire le PDF, mutu convertit le document en données pour le modèle typst. Cette
conversion a échoué : cela ne dépend pas de ce que vous avez saisi, c'est un défaut de mutu.
Le PDF n'est pas produit (le site et les données ouvertes peuvent l'être avec --sans-pdf).

Signalez ce problème aux mainteneurs de mutu, avec le message complet, la commande lancée et si
possible une copie du projet.

Exemple, pour construire le reste en attendant la correction :

    mutu build --sans-pdf
"#;

    PdfLogo = "pdf-logo", Erreur,
        "Logo de l'EPCI introuvable, hors du projet ou inutilisable",
        r#"Le logo indiqué par `epci.logo` (data/territoire.yaml) ne peut pas être placé sur la
couverture du PDF : son chemin sort du dossier du projet, le fichier est introuvable ou
illisible, ou ce n'est pas une image que mutu sait lire (fichier abîmé, format non pris en
charge). Le PDF n'est pas produit.

Indiquez un chemin relatif au dossier du projet, vers une image PNG, JPEG, GIF, WebP ou SVG.
Si le fichier existe, ouvrez-le dans un visualiseur d'images et réenregistrez-le en PNG.

Exemple, dans data/territoire.yaml :

    epci:
      logo: content/images/logo.png
"#;

    PdfMarkdown = "pdf-markdown", Erreur,
        "Texte Markdown impossible à convertir pour le PDF",
        r#"Pour le PDF, mutu convertit chaque texte Markdown en langage typst. Pour ce texte, le
résultat de la conversion est invalide : c'est en principe un défaut de mutu, souvent provoqué
par une mise en forme inhabituelle (listes ou citations imbriquées très profondément, mélange
complexe de gras, d'italique et de liens). Le PDF n'est pas produit ; le site l'est.

Simplifiez la mise en forme du texte indiqué (moins de niveaux d'imbrication). Si le problème
persiste, signalez-le aux mainteneurs de mutu avec le fichier Markdown en cause.

Exemple, dans content/services/garage-commun.md, une imbrication à réduire :

    > - > - > **citation dans une liste dans une citation…**
"#;

    PdfMembreInconnu = "pdf-membre-inconnu", Erreur,
        "Extrait PDF demandé pour un membre sans page (défaut de mutu)",
        r#"mutu devait produire l'extrait PDF d'un membre, mais le document ne contient aucune page
pour ce membre. Les extraits sont demandés pour les membres que le document liste lui-même
(`mutu build --extraits`, `mutu pdf --commune` ou `--toutes-communes`) : cette erreur révèle une
incohérence interne, donc un défaut de mutu.

Signalez-le aux mainteneurs de mutu avec le message (il liste les membres qui ont une page), la
commande lancée (avec ou sans --public) et si possible une copie du projet.

Exemple de commande à joindre au signalement :

    mutu pdf --commune landerneau
"#;

    PdfModele = "pdf-modele", Erreur,
        "Modèle PDF du thème absent ou illisible",
        r#"Le PDF est mis en page par le modèle typst du thème, pdf/rapport.typ. Dans le thème du
projet (themes/<nom>/pdf/), un fichier a un nom inutilisable, un fichier .typ n'est pas du texte
UTF-8, ou le modèle principal pdf/rapport.typ manque (par exemple remplacé par un dossier). Le
PDF n'est pas produit.

Renommez le fichier avec des lettres, chiffres, « - », « _ » et « . » seulement, enregistrez les
fichiers .typ en UTF-8, ou supprimez le fichier du thème du projet pour revenir au modèle
intégré à mutu.

Exemple, pour revenir au modèle intégré :

    rm themes/mon-theme/pdf/rapport.typ
"#;

    PdfNorme = "pdf-norme", Erreur,
        "Normes PDF incompatibles entre elles (défaut de mutu)",
        r#"mutu produit un PDF conforme à la fois aux normes PDF/A-2a (archivage) et PDF/UA-1
(accessibilité). Le moteur typst a refusé cette combinaison de normes. Ce réglage est fixé dans
mutu et ne dépend pas du projet : c'est un défaut de mutu (par exemple une version de typst
incompatible). Le PDF n'est pas produit.

Signalez le problème aux mainteneurs de mutu avec le message complet et la version de mutu. En
attendant, le site et les données ouvertes peuvent être construits sans le PDF.

Exemple :

    mutu --version
    mutu build --sans-pdf
"#;

    PdfPolice = "pdf-police", Erreur,
        "Police du thème illisible ou absente pour le PDF",
        r#"Le PDF a besoin des polices du dossier fonts/ du thème. Un fichier de police du thème du
projet (.ttf, .otf, .ttc, .otc) ne se lit pas comme une police (fichier abîmé, ou autre chose
renommé en .ttf), ou le thème ne contient plus aucune police. Le PDF n'est pas produit.

Remplacez le fichier par une police TrueType (.ttf) ou OpenType (.otf) valide, ou supprimez-le
du thème du projet : le thème intégré fournit la police Inter.

Exemple, pour retirer une police abîmée du thème du projet :

    rm themes/mon-theme/fonts/MaPolice-Regular.ttf
"#;

    PdfTropLong = "pdf-trop-long", Erreur,
        "Rapport PDF au-delà du nombre de pages autorisé",
        r#"Le rapport PDF compterait (ou compte) plus de pages que la limite `pdf.pages_max`
(2 000 par défaut). La limite protège l'ordinateur : mettre en page un rapport démesuré, par
exemple des milliers de fiches dupliquées par erreur, épuiserait sa mémoire. mutu estime le
nombre de pages avant la mise en page, puis le vérifie après. Le PDF n'est pas produit.

Vérifiez d'abord qu'aucune donnée n'a été dupliquée. Retirez des sections du rapport avec
`pdf.sections` ou, si ce rapport est vraiment voulu, relevez `pdf.pages_max`.

Exemple, dans data/configuration.yaml :

    pdf:
      pages_max: 3000
"#;

    PdfTypst = "pdf-typst", Erreur,
        "Le moteur typst a échoué en produisant le PDF",
        r#"Le PDF est mis en page par typst à partir du modèle du thème. typst a signalé une erreur
(le PDF n'est pas produit) ou, parfois, un simple avertissement. Le message dit où : dans un
modèle du thème du projet, corrigez ce fichier ; dans le modèle intégré à mutu, ce sont souvent
des données ou un texte inhabituels qui le font échouer.

Si le fichier indiqué est dans themes/<nom>/pdf/ de votre projet, corrigez-le ou supprimez-le
pour revenir au modèle intégré. Si c'est le modèle intégré (« thème intégré »), vérifiez les
textes en cause et, si l'erreur persiste, signalez-la aux mainteneurs de mutu.

Exemple, pour revenir au modèle intégré :

    rm themes/mon-theme/pdf/rapport.typ
"#;

    PdfVide = "pdf-vide", Erreur,
        "Aucune page n'est destinée au rapport PDF",
        r#"Le rapport PDF reprend les pages des sections listées dans `pdf.sections` de
data/configuration.yaml. Aucune page du document n'y entre : par exemple `pdf.sections` ne
nomme que des sections vides dans ce projet (pas de commande publique, pas d'effectifs…). Un PDF
sans contenu n'aurait pas de sens : il n'est pas produit.

Ajoutez à `pdf.sections` au moins une section qui a du contenu, ou supprimez la clé pour
reprendre toutes les sections dans l'ordre par défaut.

Exemple, dans data/configuration.yaml :

    pdf:
      sections: [synthese, services, contributions]
"#;

    PermissionRefusee = "permission-refusee", Erreur,
        "Écriture refusée dans le dossier de publication",
        r#"Pendant `mutu publish`, la cible a refusé l'écriture : le compte utilisé n'a pas le droit
d'écrire dans ce dossier (partage monté en lecture seule, dossier SFTP d'un autre utilisateur,
réponse HTTP 403 d'un serveur WebDAV). mutu s'arrête ; le site servi n'a pas changé.

Vérifiez avec le service informatique ou l'hébergeur que le compte peut écrire dans le dossier
de la cible (et, en SFTP, que son dossier parent existe), puis relancez. Essayez d'y copier un
fichier à la main avec le même compte pour confirmer.

Exemple, dans data/configuration.yaml, une cible où le compte a le droit d'écrire :

    publication:
      cible: sftp://agent@extranet.exemple.fr/www/mutualisation
"#;

    PopulationInconnue = "population-inconnue", Erreur,
        "Sorte de population inconnue dans une feuille importée",
        r#"Une feuille importée par `mutu import` déclare en A1 « populations: … » avec une sorte de
population que mutu ne connaît pas. Seules trois sortes existent, comme dans
data/territoire.yaml : municipale, totale et dgf. mutu ne sait pas où écrire les chiffres et
n'écrit rien.

Corrigez la cellule A1 (l'aide propose la sorte la plus proche), puis relancez l'import.

Exemple de cellule A1 correcte :

    populations: municipale
"#;

    PopulationInvalide = "population-invalide", Erreur,
        "Population décimale ou négative dans un tableau importé",
        r#"Dans une feuille « populations: … » importée par `mutu import`, une cellule contient un
nombre à virgule ou négatif. Une population est un nombre entier de personnes, positif ou nul :
mutu refuse la cellule et n'écrit rien. Cela arrive souvent avec une moyenne ou un calcul dont
le résultat n'a pas été arrondi.

Tapez la population entière (sans décimales) ou arrondissez la formule du tableur, puis
relancez l'import.

Exemple de feuille :

    A1 populations: municipale    B1 2024
    A2 landerneau                 B2 15 874,5    <- refusé
    A2 landerneau                 B2 15 874      <- accepté
"#;

    PopulationInvraisemblable = "population-invraisemblable", Erreur,
        "Population supérieure à 100 millions d'habitants",
        r#"Une population (`dgf`, `totale` ou `municipale`) de data/territoire.yaml dépasse 100
millions d'habitants. Aucun territoire français n'en approche : ce sont presque toujours des
chiffres en trop (deux populations collées, une faute de frappe). mutu refuse la valeur, qui
fausserait toutes les clés de répartition fondées sur la population.

Vérifiez le nombre de chiffres et corrigez la population.

Exemple, dans data/territoire.yaml :

    populations:
      2023:
        municipale: 158741587     # deux fois 15874 ?
        municipale: 15874
"#;

    PopulationManquante = "population-manquante", Erreur,
        "Population absente pour un bénéficiaire d'une clé de population",
        r#"Une clé de répartition fondée sur la population (base `population_dgf`,
`population_totale`, `population_municipale` ou `grille`) a besoin, pour chacun de ses
bénéficiaires, de la population de son `millesime`. Pour l'organisme nommé, cette population
manque dans data/territoire.yaml : mutu ne peut pas calculer sa part.

Ajoutez la population de ce millésime à l'organisme dans data/territoire.yaml, ou changez le
`millesime` de la clé pour une année dont toutes les populations sont connues.

Exemple, dans data/territoire.yaml, pour une clé `base: population_dgf, millesime: 2023` :

    - id: daoulas
      populations:
        2023:
          dgf: 1879
"#;

    PourcentageInvalide = "pourcentage-invalide", Erreur,
        "Pourcentage illisible ou hors de 0 à 100",
        r#"Une valeur qui doit être un pourcentage (par exemple `part` d'une prise en charge de
l'EPCI) ne se lit pas comme un nombre, ou sort de l'intervalle 0 à 100. Un pourcentage au-delà
de 100 ou négatif n'a pas de sens pour une part : mutu refuse la valeur plutôt que de calculer
des parts fausses.

Écrivez le pourcentage en points, entre 0 et 100, avec ou sans « % » (entre guillemets pour la
virgule décimale) : 50 veut dire 50 %. Attention, 0.5 serait lu 0,5 %, pas 50 %.

Exemple, dans data/cles.yaml :

    prise_en_charge_epci:
      part: 20 pour cent      # refusé
      part: "20,5 %"          # accepté
"#;

    PriseEnChargeAmbigue = "prise-en-charge-ambigue", Erreur,
        "Prise en charge de l'EPCI avec à la fois montant et part, ou aucun",
        r#"Le bloc `prise_en_charge_epci` d'une clé de répartition doit dire ce que l'EPCI garde à
sa charge avant de répartir : soit un montant fixe (`montant`), soit une part en pourcentage
(`part`). Ici il indique les deux, ou aucun des deux : mutu ne peut pas choisir et refuse.

Gardez une seule des deux clés. Si l'EPCI ne garde rien, supprimez tout le bloc.

Exemple, dans data/cles.yaml :

    prise_en_charge_epci:
      montant: 80000
      deliberation: "conseil communautaire du 26/06/2016"
"#;

    PriseEnChargeExcessive = "prise-en-charge-excessive", Erreur,
        "Prise en charge de l'EPCI supérieure au montant à répartir",
        r#"Dans une répartition, la clé d'une étape prévoit une prise en charge par l'EPCI
(`prise_en_charge_epci.montant`) plus grande que le montant qui arrive à cette étape. Les autres
bénéficiaires recevraient alors une part négative : mutu refuse de calculer la répartition.

Vérifiez le montant de la prise en charge dans data/cles.yaml, et le montant à répartir (le
`montant` de la répartition, ou le total des dépenses du bilan du même exercice). Une prise en
charge en pourcentage (`part`) évite ce problème quand le montant varie d'une année à l'autre.

Exemple, dans data/cles.yaml :

    prise_en_charge_epci:
      part: 20
"#;

    PrixAmbigu = "prix-ambigu", Erreur,
        "Prix d'une offre sans forme ou avec plusieurs",
        r#"Le prix d'une offre du catalogue (`offre: prix:`) prend une seule forme : un tarif par
unité (`tarif:`), un forfait par organisme et par an (`forfait:`), la clé de répartition du
coût (`cle:`, l'identifiant d'une clé de data/cles.yaml) ou une grille (`grille:`). Il n'en a
ici aucune, ou plusieurs : le catalogue ne saurait pas laquelle annoncer.

Gardez une seule forme ; une précision s'écrit dans `note:`.

Exemple, dans data/services/instruction-ads.yaml :

    offre:
      unite: acte instruit
      prix:
        exercice: 2025
        tarif: 180
        note: Le permis de construire compte pour un acte, le certificat d'urbanisme pour 0,4.
"#;

    ProjetIllisible = "projet-illisible", Erreur,
        "Le projet n'a pas pu être chargé par « mutu serve »",
        r#"`mutu serve` a tenté de reconstruire le site après une modification, mais le projet n'a
pas pu être chargé, sans qu'aucune erreur précise ne soit remontée. Le site affiché reste la
dernière version réussie ; l'encadré d'erreurs de la page l'indique.

Lancez `mutu check` dans un autre terminal : il donne le détail de chaque problème, avec le
fichier et la ligne. Corrigez-les et enregistrez : `mutu serve` reconstruit seul. Si
`mutu check` ne signale rien, signalez le problème aux mainteneurs de mutu.

Exemple :

    mutu check
"#;

    ProrataAdhesion = "prorata-adhesion", Avertissement,
        "Prorata d'une clé différent de la période d'adhésion au service",
        r#"Un organisme a un prorata temporis dans une clé de répartition (`prorata`), et une
adhésion datée dans la même année à un service qui utilise cette clé (`depuis`, `jusqu_au`).
Les deux ne couvrent pas le même nombre de mois : l'organisme paierait pour une période
différente de son adhésion. mutu avertit, car cela peut être voulu (une partie du service
rejointe plus tard), mais c'est souvent un oubli.

Alignez `du:` et `au:` du prorata sur `depuis:` et `jusqu_au:` de l'adhésion, ou corrigez la
date d'adhésion. Le message indique les deux périodes.

Exemple, adhésion depuis le 1er avril 2023, dans data/cles.yaml :

    prorata:
      pencran: {du: 2023-04-01}
"#;

    RacineIntrouvable = "racine-introuvable", Erreur,
        "Dossier du projet introuvable",
        r#"mutu cherche le projet dans le dossier courant, ou dans celui indiqué avec --racine. Ce
dossier n'existe pas (faute de frappe dans le chemin, lecteur réseau non connecté, dossier
déplacé) : mutu ne peut rien lire et s'arrête.

Placez-vous dans le dossier du projet (celui qui contient data/ et content/) avant de lancer la
commande, ou indiquez-le avec --racine. Sous Windows, mettez le chemin entre guillemets s'il
contient des espaces.

Exemple :

    mutu check --racine "D:\Mutualisation\rapport-2024"
"#;

    Redirection = "redirection", Erreur,
        "Le serveur WebDAV redirige les requêtes de publication",
        r#"Pendant `mutu publish` vers une cible webdav:// ou webdavs://, le serveur a répondu par
une redirection (HTTP 3xx) au lieu d'exécuter la requête. mutu ne suit pas les redirections :
il n'envoie le site qu'à l'adresse exacte de la cible. Le plus
souvent l'adresse est en webdav:// alors que le serveur impose HTTPS, ou le chemin du dossier
WebDAV n'est pas le bon. Rien n'est publié ; le site servi n'a pas changé.

Vérifiez l'adresse : webdavs:// plutôt que webdav://, et le chemin exact du dossier WebDAV
(celui que donne la plateforme pour « connecter un lecteur réseau »).

Exemple :

    mutu publish --cible webdav://agent@cloud.exemple.fr/mutualisation     # redirigé
    mutu publish --cible webdavs://agent@cloud.exemple.fr/mutualisation
"#;

    ReferenceInvalide = "reference-invalide", Erreur,
        "Classeur importé avec une référence de cellule hors limites",
        r#"Avant de lire un classeur (.ods, .xlsx), `mutu import` vérifie sa structure. Le fichier
désigne une cellule au-delà des limites d'un tableur (après la colonne XFD ou la ligne
1 048 576). Un tableur n'écrit jamais cela : le fichier a été produit par un autre logiciel, ou
il est abîmé. mutu refuse de le lire et n'écrit rien.

Ouvrez le fichier dans votre tableur (LibreOffice Calc, Excel), enregistrez-le à nouveau sous
le même format, puis relancez l'import.

Exemple, après l'avoir réenregistré :

    mutu import populations-2024.xlsx
"#;

    RepartitionAmbigue = "repartition-ambigue", Erreur,
        "Répartition avec à la fois des étapes et des montants constatés",
        r#"Une répartition se calcule soit par des clés (`etapes:`), soit en recopiant des parts
déjà connues (`montants_constates:`), jamais les deux à la fois. Ici les deux sont présents :
mutu ne sait pas lesquels croire et refuse la répartition.

Gardez l'un des deux. Si vous voulez à la fois calculer une répartition et contrôler des parts
publiées, gardez `etapes:` et recopiez les parts publiées dans `parts_declarees:`. Sinon,
séparez-les en deux répartitions.

Exemple, dans data/services/instruction-ads.yaml :

    repartitions:
      - exercice: 2023
        libelle: "Coût 2023 de l'instruction ADS"
        taxes: ttc
        etapes:
          - cle: ads-epci
        parts_declarees: {capld: 186641, clcl: 103690}
"#;

    RepartitionVide = "repartition-vide", Erreur,
        "Répartition sans clé ni montants constatés",
        r#"Une répartition doit dire comment le coût est partagé : par une ou plusieurs clés
(`etapes:`), ou par des parts déjà connues (`montants_constates:`). Celle-ci n'a ni l'un ni
l'autre : mutu ne peut rien calculer ni afficher.

Ajoutez `etapes:` avec au moins une clé de data/cles.yaml, ou `montants_constates:` avec le
montant de chaque organisme. Supprimez la répartition si elle ne sert pas.

Exemple, dans data/services/instruction-ads.yaml :

    repartitions:
      - exercice: 2023
        libelle: "Coût 2023 de l'instruction ADS"
        taxes: ttc
        etapes:
          - cle: ads-epci
"#;

    RetourImpossible = "retour-impossible", Erreur,
        "Aucune version précédente à remettre en ligne",
        r#"`mutu publish --retour` remet en ligne la version que la dernière publication a
remplacée. Ici, c'est impossible : rien n'est encore publié dans la cible, ou il n'y a pas de
version précédente. mutu ne garde que la version servie et celle qu'elle a remplacée : après un
premier retour, la version d'avant n'existe plus.

Pour remettre en ligne un site plus ancien, reconstruisez-le (par exemple depuis une copie
antérieure du projet) et publiez-le normalement.

Exemple :

    mutu publish --construire
"#;

    RevisionInconnue = "revision-inconnue", Erreur,
        "Révision git inconnue",
        r#"La révision donnée à `mutu diff` (commit, branche ou étiquette) n'existe pas dans le dépôt :
faute de frappe, branche d'un autre dépôt, étiquette pas encore créée.

Listez les versions enregistrées et reprenez-en une ; `HEAD~1` désigne l'avant-dernière :

    git log --oneline
    mutu diff HEAD~1
    mutu diff v2023 v2024
"#;

    RevisionInvalide = "revision-invalide", Erreur,
        "Les données d'une version comparée ne se vérifient pas",
        r#"`mutu diff` recalcule les chiffres des deux versions comparées ; les fichiers de l'une
d'elles (la révision nommée, ou les fichiers actuels) contiennent des erreurs, si bien que
ses chiffres ne peuvent pas être calculés. Le message nomme la version et résume ses erreurs.

Pour les fichiers actuels, corrigez-les (`mutu check` les détaille). Pour une version
ancienne enregistrée avec des erreurs, comparez avec une version plus récente qui se vérifie :

    mutu check
    mutu diff HEAD~2
"#;

    RienAPublier = "rien-a-publier", Erreur,
        "Aucun site construit à publier",
        r#"`mutu publish` envoie le site déjà construit par `mutu build` (par défaut le dossier
public/ du projet, ou celui de --sortie). Ce dossier n'existe pas ou n'a pas été produit par
mutu : par prudence, mutu ne publie jamais un dossier qu'il n'a pas construit lui-même.

Construisez d'abord le site avec `mutu build` (avec la même option --sortie si vous en
utilisez une), ou demandez la construction pendant la publication avec --construire.

Exemple :

    mutu publish --construire --public
"#;

    SecretDansLaCible = "secret-dans-la-cible", Erreur,
        "Mot de passe écrit dans l'adresse de la cible de publication",
        r#"L'adresse de la cible donnée à `mutu publish` (par --cible ou par la configuration)
contient un mot de passe, sous la forme utilisateur:mot-de-passe@hote. Un mot de passe écrit
ainsi reste dans l'historique des commandes, les journaux ou le projet partagé : mutu refuse
de s'en servir et ne publie rien.

Écrivez seulement utilisateur@hote. En SFTP, l'authentification passe par l'agent SSH ou un
fichier de clé (--cle) ; en WebDAV, par la variable MUTU_WEBDAV_MOT_DE_PASSE ou une saisie
masquée dans le terminal. Changez le mot de passe s'il a pu être vu.

Exemple :

    mutu publish --cible webdavs://agent:Secret123@cloud.exemple.fr/mutu    # refusé
    mutu publish --cible webdavs://agent@cloud.exemple.fr/mutu              # accepté
"#;

    SecretDansLaConfiguration = "secret-dans-la-configuration", Erreur,
        "Mot de passe, jeton ou clé privée dans data/configuration.yaml",
        r#"Le bloc `publication:` de data/configuration.yaml contient un secret : une clé
`mot_de_passe`, `jeton` ou `cle_privee`, une cible de la forme utilisateur:mot-de-passe@hote, ou
une clé privée collée dans la cible. La configuration est partagée, versionnée et copiée avec
le projet : un secret n'y a pas sa place, et mutu refuse.

Retirez la ligne en cause et changez le secret s'il a pu être vu. En SFTP, l'authentification
passe par l'agent SSH ou un fichier de clé (--cle ou la variable MUTU_CLE_SSH) ; en WebDAV, par
la variable MUTU_WEBDAV_MOT_DE_PASSE ou une saisie masquée dans le terminal.

Exemple, dans data/configuration.yaml :

    publication:
      cible: "sftp://dgs@extranet.example.fr/www/mutualisation"
      mot_de_passe: "…"          # à supprimer
"#;

    SectionInconnue = "section-inconnue", Erreur,
        "Section du rapport PDF inconnue dans pdf.sections",
        r#"La liste `pdf.sections` de data/configuration.yaml nomme une section que mutu ne connaît
pas, souvent à cause d'une faute de frappe, d'un accent ou d'un tiret à la place du tiret bas.
mutu refuse plutôt que de retirer du PDF une section sans le dire.

Utilisez les noms admis : synthese, schema, services, fiches, commande_publique, effectifs,
contributions, evolutions (l'aide propose le plus proche). Une section omise sort du PDF mais
reste sur le site.

Exemple, dans data/configuration.yaml :

    pdf:
      sections: [synthese, services, commande-publique]    # « commande_publique »
"#;

    SensInvalide = "sens-invalide", Erreur,
        "Sens illisible dans une ligne de bilan importée",
        r#"Dans une feuille « bilan: <service> » importée par `mutu import`, la colonne A de chaque
ligne dit si c'est une dépense ou une recette. Ici elle contient autre chose : mutu ne sait pas
dans quelle liste ranger la ligne et n'écrit rien. Une ligne d'en-tête « sens » est acceptée et
ignorée.

Écrivez « dépense » ou « recette » (les pluriels et l'absence d'accents sont admis) dans la
colonne A, ou videz entièrement la ligne si elle ne sert pas.

Exemple de feuille :

    A1 bilan: garage-commun    B1 2024    C1 ttc
    A2 charge     B2 Frais de personnel    C2 149533    <- refusé
    A2 dépense    B2 Frais de personnel    C2 149533    <- accepté
"#;

    ServeurInjoignable = "serveur-injoignable", Erreur,
        "Le serveur de publication ne répond pas",
        r#"Pendant `mutu publish` en SFTP ou en WebDAV, le serveur n'a pas répondu à temps, ou le
réseau ne permet pas de l'atteindre. Le plus souvent : pas de connexion, VPN non connecté,
pare-feu, ou nom de serveur erroné. mutu s'arrête ; le site servi n'a pas changé.

Vérifiez la connexion au réseau (et au VPN si l'extranet l'exige), puis le nom du serveur dans
la cible. Relancez ensuite la publication ; si le problème persiste, contactez l'hébergeur.

Exemple, après connexion au VPN :

    mutu publish --cible sftp://agent@extranet.exemple.fr/www/mutualisation
"#;

    ServeurNonWebdav = "serveur-non-webdav", Erreur,
        "L'adresse de publication n'est pas un dossier WebDAV",
        r#"La cible de `mutu publish` est une adresse webdav:// ou webdavs://, mais le serveur ne se
comporte pas comme un dossier WebDAV : il refuse ou ignore la demande de listage (PROPFIND).
C'est en général l'adresse d'un site web ordinaire, qui ne permet pas d'écrire. Rien n'est
publié.

Utilisez l'adresse du dossier WebDAV que donne la plateforme (celle pour « connecter un lecteur
réseau »), et non l'adresse de la page web. En cas de doute, demandez-la au service
informatique ou à l'hébergeur.

Exemple, pour un Nextcloud :

    mutu publish --cible webdavs://agent@cloud.exemple.fr/remote.php/dav/files/agent/mutu
"#;

    ServiceInconnu = "service-inconnu", Erreur,
        "Référence à un service qui n'est pas déclaré",
        r#"Un identifiant de service (champ `service` d'une fiche-action, `perimetre` de
data/effectifs.yaml, `id` d'un texte `objet: service` de content/) ne correspond à aucun
fichier de data/services/. mutu ne peut pas rattacher la donnée au service et refuse plutôt que
de l'oublier. `mutu import` lève la même erreur quand la cellule A1 d'une feuille
« indicateur: … » ou « bilan: … » nomme un service inconnu.

Corrigez l'identifiant (l'aide propose le plus proche) : c'est l'`id` écrit dans le fichier
data/services/<id>.yaml. Ou créez le service s'il manque.

Exemple, dans l'en-tête de content/services/garage-commun.md :

    ---
    objet: service
    id: garage-comun       # l'identifiant est « garage-commun »
    ---
"#;

    SftpAbsent = "sftp-absent", Erreur,
        "Commande sftp introuvable sur cet ordinateur",
        r#"Pour publier vers une cible sftp://, mutu lance la commande `sftp` du client OpenSSH.
Elle n'a pas pu être lancée : le client n'est pas installé, ou il n'est pas dans le chemin des
commandes. Rien n'est publié.

Installez le client OpenSSH : paquet openssh-client sous Debian ou Ubuntu ; il est déjà présent
sous macOS et sous Windows 10 et suivants (sinon : Paramètres > Applications > Fonctionnalités
facultatives > Client OpenSSH). Vérifiez ensuite que la commande répond dans un terminal.

Exemple :

    sftp -V
"#;

    SftpEchoue = "sftp-echoue", Erreur,
        "La session SFTP de publication a échoué",
        r#"Pendant `mutu publish` vers une cible sftp://, la commande sftp s'est arrêtée en erreur,
pour une raison que mutu ne reconnaît pas parmi les cas courants (serveur injoignable, droits,
disque plein…). Le message reprend la dernière ligne de sftp. Le site servi n'a pas changé.

Relancez la publication. Si l'erreur persiste, essayez `sftp` à la main avec la même adresse,
pour voir le message complet, et transmettez-le à l'hébergeur ou au service informatique.

Exemple :

    sftp agent@extranet.exemple.fr
"#;

    SirenInvalide = "siren-invalide", Erreur,
        "SIREN mal formé ou avec une clé de contrôle fausse",
        r#"Un SIREN (de l'EPCI, d'un membre ou d'un partenaire, dans data/territoire.yaml) n'a pas 9
chiffres, ou sa clé de contrôle (algorithme de Luhn) est fausse : un chiffre a probablement été
mal recopié ou deux chiffres inversés. Un SIREN faux empêcherait de retrouver l'organisme dans
les référentiels officiels : mutu refuse.

Vérifiez le SIREN sur annuaire-entreprises.data.gouv.fr et écrivez-le entre guillemets, sans
espaces (sinon YAML le lit comme un nombre).

Exemple, dans data/territoire.yaml :

    epci:
      siren: 242 900 801       # refusé : espaces, pas de guillemets
      siren: "242900801"
"#;

    SiretInvalide = "siret-invalide", Erreur,
        "SIRET de l'EPCI mal formé ou d'un autre SIREN",
        r#"Le SIRET de l'EPCI (`epci.siret`, data/territoire.yaml) doit faire 14 chiffres : les 9 du
SIREN de l'EPCI, suivis des 5 chiffres du NIC de l'établissement (le siège). Ici, il n'a pas 14
chiffres, contient autre chose, ou ne commence pas par le SIREN déclaré : mutu refuse.

Recopiez le SIRET du siège depuis annuaire-entreprises.data.gouv.fr, entre guillemets et sans
espaces, et vérifiez qu'il commence bien par `epci.siren`.

Exemple, dans data/territoire.yaml :

    epci:
      siren: "242900801"
      siret: "24290080100015"
"#;

    SortieRefusee = "sortie-refusee", Erreur,
        "Dossier ou fichier de sortie refusé par prudence",
        r#"mutu remplace en entier le dossier (ou le fichier) où il écrit ce qu'il produit. Pour ne
jamais effacer vos documents, il refuse d'écrire dans le dossier du projet ou l'un de ses
dossiers data/, content/, themes/, dans un dossier qui contient le projet, la racine du disque,
votre dossier personnel, un dossier non vide qu'il n'a pas produit, ou sur un fichier qu'il
n'a pas écrit. Le message dit lequel de ces cas s'applique.

Indiquez un dossier à part, absent ou vide, réservé au site (par défaut public/ dans le projet),
ou un autre nom de fichier. Videz vous-même un dossier si vous voulez vraiment le réutiliser.

Exemple :

    mutu build --sortie public
"#;

    SourceIllisible = "source-illisible", Erreur,
        "Site construit impossible à lire pour la publication",
        r#"`mutu publish` lit le site construit (par défaut public/) pour l'envoyer. Un fichier n'a
pas pu être lu, a un nom impossible à publier (retour à la ligne, barre oblique inversée,
caractères hors UTF-8), ou n'est pas un fichier ordinaire (un lien symbolique, par exemple).
Rien n'est publié ; le site servi n'a pas changé.

Le dossier construit ne doit contenir que ce que mutu y a écrit : reconstruisez-le avec
`mutu build` (sans y ajouter de fichiers à la main), puis relancez la publication, ou faites
les deux d'un coup avec --construire.

Exemple :

    mutu publish --construire
"#;

    SyntaxeYaml = "syntaxe-yaml", Erreur,
        "Syntaxe YAML invalide",
        r#"Le fichier (ou l'en-tête d'un texte Markdown) n'est pas du YAML bien formé : indentation
incohérente, tabulation au lieu d'espaces, guillemet ouvert jamais fermé, « : » dans une valeur
sans guillemets… mutu ne peut pas lire la suite du fichier et le signale à l'endroit où la
lecture a échoué (l'erreur réelle est parfois une ligne plus haut).

Indentez avec des espaces uniquement (deux par niveau), alignez les clés d'un même bloc, et
mettez entre guillemets une valeur qui contient « : » ou « # », ou qui commence par @ ou `.

Exemple, dans data/services/garage-commun.yaml :

    nom: Garage commun : atelier      # refusé : « : » dans la valeur
    nom: "Garage commun : atelier"
"#;

    TableauEnDouble = "tableau-en-double", Erreur,
        "Deux tableaux du site ont le même identifiant (défaut de mutu)",
        r#"Avant d'écrire le site, mutu vérifie la cohérence du document qu'il a lui-même construit.
Deux tableaux portent le même identifiant : leurs fichiers de données ouvertes (CSV, JSON) et
leurs ancres dans les pages se confondraient. Les identifiants des tableaux sont calculés par
mutu : c'est un défaut de mutu, pas une erreur de saisie. Le site n'est pas écrit.

Signalez ce problème aux mainteneurs de mutu, avec le message complet (il donne l'identifiant),
la commande lancée et si possible une copie du projet. Deux services, indicateurs ou clés aux
identifiants très proches sont une piste à leur indiquer.

Exemple de commande à joindre au signalement :

    mutu build --racine mon-projet
"#;

    TaxesInvalides = "taxes-invalides", Erreur,
        "Régime de taxes illisible dans une feuille de bilan importée",
        r#"Une feuille « bilan: <service> » importée par `mutu import` doit indiquer en C1 si ses
montants sont hors taxes ou toutes taxes comprises, comme la clé `taxes` d'un bilan. La cellule
C1 contient autre chose (ou rien) : mutu ne sait pas à quel bilan rattacher les lignes et
n'écrit rien.

Écrivez « ht » ou « ttc » dans la cellule C1 (B1 contient l'année du bilan), puis relancez
l'import.

Exemple de première ligne :

    A1 bilan: garage-commun    B1 2024    C1 ttc
"#;

    ThemeIllisible = "theme-illisible", Erreur,
        "Thème du site impossible à lire",
        r#"Au moment de construire le site ou le PDF, mutu n'a pas pu lire le thème choisi par
`theme:` dans data/configuration.yaml (dossier themes/<nom>/ du projet, complété par le thème
intégré) : un fichier ou un dossier du thème est illisible (droits, fichier verrouillé, disque
réseau déconnecté). Rien n'est produit.

Vérifiez le dossier themes/ du projet et les droits de lecture de ses fichiers, ou revenez au
thème intégré pour vérifier que le problème vient bien du thème.

Exemple, dans data/configuration.yaml :

    theme: default
"#;

    ThemeIntrouvable = "theme-introuvable", Erreur,
        "Thème choisi absent du dossier themes/",
        r#"`theme:` dans data/configuration.yaml nomme un thème, mais le dossier themes/<nom>/
n'existe pas dans le projet (faute de frappe, dossier renommé ou pas encore copié). Seul le
thème `default`, intégré à mutu, n'a pas besoin de dossier.

Corrigez le nom du thème, créez le dossier themes/<nom>/, ou revenez à `theme: default`. Un
thème ne contient que les fichiers qui remplacent ceux du thème par défaut.

Exemple, dans data/configuration.yaml, avec un dossier themes/capld/ dans le projet :

    theme: capld
"#;

    ThemeInvalide = "theme-invalide", Erreur,
        "Nom de thème invalide (chemin au lieu d'un nom)",
        r#"`theme:` dans data/configuration.yaml doit être le nom d'un dossier de themes/ du projet
: lettres, chiffres, « - », « _ » et « . », jamais un chemin. Ici la valeur contient une barre
oblique, « .. » ou un autre caractère interdit. mutu ne lit rien en dehors du dossier du projet, et
refuse donc un thème désigné par un chemin.

Copiez le thème dans le dossier themes/ du projet et écrivez seulement son nom, ou revenez à
`theme: default`.

Exemple, dans data/configuration.yaml :

    theme: ../partage/theme-capld      # refusé
    theme: theme-capld                 # dossier themes/theme-capld/
"#;

    TitreVide = "titre-vide", Avertissement,
        "Titre sans texte, omis du site et du PDF",
        r#"Un titre n'a pas de texte : soit la clé `titre` de l'en-tête d'un texte de content/ est
vide ou faite d'espaces, soit une ligne de titre Markdown (`## `) n'a rien après les dièses. Un
titre vide gênerait la navigation des lecteurs d'écran (il est interdit par le RGAA et par la
norme PDF/UA) : mutu l'omet et avertit.

Écrivez le titre, ou supprimez la ligne.

Exemple, dans content/services/garage-commun.md :

    ---
    objet: service
    id: garage-commun
    titre: ""                  # à compléter ou supprimer
    ---
    ## Bilan de l'année
"#;

    TlsEchoue = "tls-echoue", Erreur,
        "Connexion chiffrée impossible avec le serveur WebDAV",
        r#"Pour une cible webdavs://, mutu se connecte en HTTPS. L'établissement de la connexion
chiffrée (TLS) a échoué : le plus souvent le port indiqué n'est pas celui du HTTPS, ou le
serveur ne parle que HTTP. Rien n'est publié ; le site servi n'a pas changé.

Vérifiez le port dans l'adresse (443 par défaut pour HTTPS) et que le serveur accepte bien
HTTPS. S'il ne propose que HTTP (cas rare, à éviter sur Internet), utilisez webdav:// au lieu
de webdavs://.

Exemple :

    mutu publish --cible webdavs://agent@cloud.exemple.fr:443/mutualisation
"#;

    TotalIncoherent = "total-incoherent", Avertissement,
        "Total publié différent de la somme de ses parties",
        r#"Un total recopié d'un document publié (clé `…_declare`, `parts_declarees`,
`totaux_declares`, populations de l'EPCI…) ne correspond pas à la somme que mutu recalcule à
partir des lignes. mutu affiche toujours le chiffre calculé, et signale l'écart avec le chiffre
publié, le chiffre calculé et la différence. Ce n'est qu'un avertissement : l'écart peut venir
d'une erreur du document d'origine.

Vérifiez les lignes (une ligne oubliée, un chiffre mal recopié) et le total recopié. Ne
corrigez jamais un total publié pour faire disparaître l'avertissement : recopiez-le tel quel.

Exemple, dans data/services/garage-commun.yaml :

    bilans:
      - exercice: 2023
        taxes: ttc
        total_depenses_declare: 295893
"#;

    TypeDeFichier = "type-de-fichier", Erreur,
        "Fichier à importer d'un type non pris en charge",
        r#"`mutu import` lit seulement les classeurs .ods (LibreOffice) et .xlsx (Excel, ou .xlsm),
et les fichiers .csv. Le fichier donné a une autre extension (.xls ancien format, .numbers, .pdf…)
ou aucune : mutu ne sait pas le lire.

Ouvrez le fichier dans votre tableur et enregistrez-le au format ODS, XLSX ou CSV
(« Enregistrer sous… »), puis relancez l'import avec le nouveau fichier.

Exemple :

    mutu import populations-2024.xls      # refusé : ancien format Excel
    mutu import populations-2024.xlsx
"#;

    TypeInvalide = "type-invalide", Erreur,
        "Valeur YAML d'un type incorrect",
        r#"La valeur écrite n'a pas le type attendu à cet endroit : un texte là où il faut un nombre
ou une date, une liste là où il faut une seule valeur, une valeur simple là où il faut un bloc
de clés… YAML devine le type d'après l'écriture : `2023` est un nombre, `"2023"` un texte.
mutu refuse la valeur plutôt que de la convertir à l'aveugle.

Écrivez la valeur sous la forme attendue (la ligne « attendu » la donne ; voir aussi
« mutu aide format ») : un nombre en chiffres, un bloc indenté sous sa clé, une liste avec
« - », un texte entre guillemets s'il ressemble à un nombre.

Exemple, dans data/territoire.yaml :

    populations:
      2023:
        municipale: beaucoup      # refusé : un nombre entier est attendu
        municipale: 15874
"#;

    UrlDeBaseInvalide = "url-de-base-invalide", Erreur,
        "Adresse du site invalide au moment d'écrire le site",
        r#"En écrivant le site, mutu utilise l'adresse publique du site (`url_de_base` de
data/configuration.yaml) pour le plan du site sitemap.xml. Cette adresse ne commence pas par
http:// ou https://, ou contient un espace, un guillemet ou un chevron (< >), qui casseraient le
fichier produit. Le site n'est pas écrit.

Écrivez l'adresse complète du site, telle qu'elle s'affiche dans le navigateur, sans espaces ni
guillemets à l'intérieur, ou supprimez la clé si le site n'a pas encore d'adresse publique.

Exemple, dans data/configuration.yaml :

    url_de_base: "https://extranet.example.fr/mutualisation/"
"#;

    UrlInvalide = "url-invalide", Erreur,
        "Adresse publique du site (url_de_base) invalide",
        r#"La clé `url_de_base` de data/configuration.yaml doit donner l'adresse complète où le site
est publié : elle commence par https:// (ou http://) et ne contient pas d'espace. Ici ce n'est
pas le cas (adresse sans « https:// », chemin de dossier, espace…) : mutu refuse. Cette adresse
ne sert qu'au plan du site sitemap.xml ; les liens du site restent relatifs.

Écrivez l'adresse telle qu'elle s'affiche dans le navigateur, ou supprimez la clé si le site
n'a pas encore d'adresse publique. La cible de publication, elle, s'écrit dans
`publication.cible`.

Exemple, dans data/configuration.yaml :

    url_de_base: extranet.example.fr/mutualisation         # refusé
    url_de_base: "https://extranet.example.fr/mutualisation/"
"#;

    ValeurInconnue = "valeur-inconnue", Erreur,
        "Valeur absente de la liste des valeurs admises",
        r#"La clé attend un mot d'une liste fermée (statut d'une fiche, forme d'un service, base
d'une clé, `taxes`, `visibilite`, `beneficiaires`, `adherents`…) et la valeur écrite n'en fait
pas partie. La casse, les accents, les espaces et les tirets sont déjà ignorés : c'est donc le
plus souvent une faute de frappe ou un synonyme que mutu ne connaît pas.

Choisissez une des valeurs de la ligne « attendu » (l'aide propose la plus proche). La liste
de chaque clé figure dans « mutu aide format », section « Valeurs admises des listes fermées ».

Exemple, dans data/fiches/informatique.yaml :

    statut: en-cour           # refusé
    statut: en cours
"#;

    ValeurInvalide = "valeur-invalide", Erreur,
        "Valeur YAML incorrecte pour cette clé",
        r#"La valeur est du bon type, mais ne convient pas à cet endroit : par exemple un nombre
trop grand pour une année ou un rang, ou une valeur qu'un contrôle de mutu refuse sans code plus
précis. mutu refuse la valeur plutôt que de la modifier. La ligne « attendu » dit ce qui est admis.

Corrigez la valeur d'après la ligne « attendu » et la description de la clé dans
« mutu aide format ».

Exemple, dans data/rapport.yaml :

    exercice: 3000000000     # refusé : nombre hors des limites d'une année
    exercice: 2023
"#;

    ValeurNegative = "valeur-negative", Erreur,
        "Valeur négative là où seules les valeurs positives sont admises",
        r#"Une valeur qui ne peut pas être négative l'est : valeur de base d'une clé de répartition,
tarif ou tranche d'une clé, prise en charge de l'EPCI, effectif, montants et nombres de marchés
de la commande publique… Une part négative ou un effectif négatif n'a pas de sens : mutu
refuse. Seules les lignes d'un bilan et le montant d'une répartition peuvent être négatifs
(une annulation, un remboursement).

Corrigez le signe ou la valeur. Une annulation ou un remboursement se saisit dans les lignes
du bilan du service, pas dans la clé ni dans les effectifs.

Exemple, dans data/cles.yaml :

    - id: sc-srh
      base: unites_d_oeuvre
      tarif: -192        # refusé
      tarif: 192
"#;

    ValeursManquantes = "valeurs-manquantes", Erreur,
        "Clé de répartition sans valeurs pour l'exercice calculé",
        r#"Une répartition d'un exercice utilise une clé dont la base n'est pas une population
(temps passé, nombre de paies, forfait…). Cette clé n'a ni `valeurs_par_exercice` pour cette
année, ni `valeurs` valables chaque année : mutu ne sait pas comment partager le montant et ne
calcule pas la répartition.

Ajoutez dans data/cles.yaml les valeurs de base de cet exercice (ou des `valeurs` communes à
toutes les années). `mutu import` peut les reprendre d'un tableur (feuille « clé: <id> »).

Exemple, dans data/cles.yaml :

    - id: sc-srh
      base: nombre_de_paies
      valeurs_par_exercice:
        2024: {capld: 312, landerneau: 845}
"#;

    WebdavEchoue = "webdav-echoue", Erreur,
        "Une requête de publication WebDAV a échoué",
        r#"Pendant `mutu publish` vers une cible webdav:// ou webdavs://, une requête envoyée par
curl a échoué pour une raison que mutu ne classe pas parmi les cas courants (droits, disque
plein, serveur injoignable…) : réponse inattendue du serveur, pas de réponse, ou curl arrêté
avant la fin. Le message donne la requête et le code reçu. Le site servi n'a pas changé.

Relancez la publication : une coupure passagère suffit souvent à l'expliquer. Si l'erreur
persiste, essayez l'adresse dans un client WebDAV et transmettez le message à l'hébergeur (le
journal du serveur WebDAV en dit plus).

Exemple :

    mutu publish --cible webdavs://agent@cloud.exemple.fr/mutualisation
"#;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_sorted_kebab_case_and_explained() {
        for w in Code::TOUS.windows(2) {
            assert!(w[0].texte() < w[1].texte(), "{} puis {}", w[0], w[1]);
        }
        for c in Code::TOUS {
            let t = c.texte();
            assert!(
                t.split('-')
                    .all(|p| !p.is_empty() && p.chars().all(|x| x.is_ascii_lowercase() || x.is_ascii_digit())),
                "{t}"
            );
            assert_eq!(Code::depuis(t), Some(*c));
            assert!(
                !c.titre().is_empty() && c.titre().chars().count() <= 70 && !c.titre().ends_with('.'),
                "{t} : {}",
                c.titre()
            );
            assert!(c.explication().lines().count() >= 4, "{t} : explication trop courte");
            assert!(
                c.explication().lines().all(|l| l.chars().count() <= 100),
                "{t} : ligne de plus de 100 caractères"
            );
        }
        assert_eq!(Code::depuis("cle-introuvable-xyz"), None);
    }
}
