#!/usr/bin/env python3
"""Génère les classeurs d'exemple de « mutu import » (docs/format.md, « Import de tableaux »).

Lancé une fois ; les classeurs produits sont versionnés à côté de ce script :
  pays-des-abers.ods       pour un projet créé par « mutu new t --epci 242900553 »
  landerneau-daoulas.xlsx  pour l'exemple à la racine du dépôt
  isle-double-landais.xlsx pour tests/territoires/isle-double-landais

Dépendances (dans un environnement virtuel) : pip install openpyxl odfpy
Les dates et identifiants internes des fichiers sont figés pour que deux exécutions
donnent les mêmes octets autant que les bibliothèques le permettent.
"""
import os

from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P
from openpyxl import Workbook

ICI = os.path.dirname(os.path.abspath(__file__))

# Chaque feuille : (nom, lignes). Une cellule est un nombre (cellule numérique)
# ou un texte (les textes « 4 100,50 » montrent la notation française).
ABERS = [
    ("Dossiers ADS", [
        ["indicateur: instruction-ads/dossiers-instruits", 2022, 2023, 2024],
        ["Bourg-Blanc", 38, 41, 47],
        ["29035", 49, 52, 55],
    ]),
    ("Bilan 2024", [
        ["bilan: instruction-ads", 2024, "TTC"],
        ["Sens", "Libellé", "Montant", "Membre"],
        ["Dépense", "Frais de personnel (un instructeur)", 48000, ""],
        ["Dépense", "Logiciel d'instruction", "4 000,00", ""],
        ["Recette", "Participation de l'État", "1 250,50", ""],
    ]),
    ("Populations", [
        ["populations: municipale", 2025],
        ["Bourg-Blanc", 3544],
        ["Coat-Méal", 1135],
        ["212900476", 1911],
    ]),
    ("Notes", [
        ["Exemple pour mutu import : chaque feuille dit en A1 ce qu'elle contient ; celle-ci est ignorée."],
    ]),
]

LANDERNEAU = [
    ("Clé SCP", [
        ["clé: sc-scp", 2021, 2022, 2023, 2024],
        ["capld", 20.84, 34.3, 26.4, 30.5],
        ["Landerneau", 79.16, 65.7, 73.6, 69.5],
    ]),
    ("Ordres de réparation", [
        ["indicateur: garage-commun/or-communaute-ville", 2021, 2022, 2023],
        ["Communauté d'agglomération du Pays de Landerneau-Daoulas", 436, 396, 435],
        ["Landerneau", 286, 266, 254],
    ]),
]

ISLE = [
    ("Bulletins", [
        ["indicateur: ressources-humaines/bulletins", 2024, 2025],
        ["ccidl", 612, 645],
        ["Montpon-Ménestérol", 948, 972],
        ["ccas-montpon", 156, 168],
    ]),
    ("Jours", [
        ["indicateur: appui-informatique/jours-factures", 2023, 2024, 2025],
        ["Ensemble", 24.5, 20.5, "19,5"],
    ]),
]


def xlsx(nom, feuilles):
    wb = Workbook()
    wb.remove(wb.active)
    for titre, lignes in feuilles:
        ws = wb.create_sheet(titre)
        for ligne in lignes:
            ws.append([None if v == "" else v for v in ligne])
    wb.properties.created = wb.properties.modified = __import__("datetime").datetime(2026, 1, 1)
    wb.save(os.path.join(ICI, nom))


def ods(nom, feuilles):
    doc = OpenDocumentSpreadsheet()
    for titre, lignes in feuilles:
        t = Table(name=titre)
        for ligne in lignes:
            r = TableRow()
            for v in ligne:
                if isinstance(v, (int, float)):
                    c = TableCell(valuetype="float", value=v)
                    c.addElement(P(text=str(v)))
                elif v == "":
                    c = TableCell()
                else:
                    c = TableCell(valuetype="string")
                    c.addElement(P(text=v))
                r.addElement(c)
            t.addElement(r)
        doc.spreadsheet.addElement(t)
    doc.save(os.path.join(ICI, nom))


ods("pays-des-abers.ods", ABERS)
xlsx("landerneau-daoulas.xlsx", LANDERNEAU)
xlsx("isle-double-landais.xlsx", ISLE)
