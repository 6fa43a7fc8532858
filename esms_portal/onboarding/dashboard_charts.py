"""The figures of the dashboard's charts, the same for the page and the API (`chart_figures`), and the
charts drawn from them (`charts`): the funnel of organisations per onboarding step, organisations by
region, cases filed and decided per week, and the median instruction time per request type against
the documents' window. Three queries besides `figures`' own, whatever the data's size."""

from django.db.models import Count, Q

from esms_portal.backoffice import stats
from esms_portal.core.regions import region_name
from esms_portal.models import OnboardingProgress
from esms_portal.onboarding.charts import BLUE, GREEN, Row, Series, bar_chart
from esms_portal.onboarding.dashboard import Figures


def regions(*, region: str = "", departement: str = "") -> list[dict]:
    """Organisations (EJs) per region, by name, the most first; those with every prerequisite met."""
    rows = OnboardingProgress.objects.order_by()
    if region:
        rows = rows.filter(region=region)
    if departement:
        rows = rows.filter(departement=departement)
    counted = rows.values("region").annotate(organisations=Count("pk"), complete=Count("pk", filter=Q(
        step="complete")))
    found = [{"code": r["region"], "name": region_name(r["region"]) or "Région inconnue",
              "organisations": r["organisations"], "complete": r["complete"]} for r in counted]
    return sorted(found, key=lambda r: (-r["organisations"], r["name"]))


def chart_figures(found: Figures, *, region: str = "", departement: str = "") -> dict:
    """What the charts show, as plain data (the API's `charts` answer)."""
    return {
        "funnel": [{"key": s.milestone.key, "number": s.milestone.number, "label": s.milestone.label,
                    "done": s.done, "current": s.current} for s in found.steps],
        "regions": regions(region=region, departement=departement),
        "weeks": [{"week": w.start, "filed": w.filed, "decided": w.decided}
                  for w in stats.weekly(region=region, departement=departement)],
        "instruction": [{"type": d.key, "label": d.label, "decided": d.decided, "median_days": d.median_days,
                         "window_days": [d.window_low_days, d.window_high_days], "late": d.late}
                        for d in stats.instruction_delays(region=region, departement=departement)],
    }


def charts(data: dict) -> list:
    done = Series("Organisations l'ayant franchie", GREEN)
    funnel = bar_chart(
        "funnel", "Entonnoir de l'embarquement : organisations ayant franchi chaque étape", series=[done],
        rows=[Row(f"{s['number']}. {s['label']}", (s["done"],)) for s in data["funnel"]],
        headers=["Étape", "L'ont franchie", "Y sont arrêtées"],
        table=[[f"{s['number']}. {s['label']}", s["done"], s["current"]] for s in data["funnel"]])
    by_region = bar_chart(
        "regions", "Organisations par région", series=[Series("Organisations", BLUE),
                                                       Series("Prérequis tous remplis", GREEN)],
        rows=[Row(r["name"], (r["organisations"], r["complete"])) for r in data["regions"]],
        headers=["Région", "Organisations", "Prérequis tous remplis"],
        table=[[r["name"], r["organisations"], r["complete"]] for r in data["regions"]])
    weeks = bar_chart(
        "weeks", "Dossiers déposés et décidés par semaine (toutes les demandes instruites)",
        series=[Series("Déposés", BLUE), Series("Décidés", GREEN)],
        rows=[Row(f"Semaine du {w['week']:%d/%m}", (w["filed"], w["decided"])) for w in data["weeks"]],
        headers=["Semaine du", "Déposés", "Décidés"],
        table=[[f"{w['week']:%d/%m/%Y}", w["filed"], w["decided"]] for w in data["weeks"]])
    instruction = bar_chart(
        "instruction", "Durée médiane d'instruction par type de demande, face au délai des documents",
        series=[Series("Durée médiane (jours)", BLUE)], unit="j",
        rows=[Row(d["label"], (d["median_days"],), band=tuple(d["window_days"])) for d in data["instruction"]],
        headers=["Type de demande", "Dossiers décidés", "Durée médiane (jours)", "Délai des documents (jours)"],
        table=[[d["label"], d["decided"], "—" if d["median_days"] is None else str(d["median_days"]).replace(
            ".", ","), f"{d['window_days'][0]} à {d['window_days'][1]}" + (" — dépassé" if d["late"] else "")]
            for d in data["instruction"]],
        note="La bande claire derrière chaque barre est le délai des documents (par exemple 6 à 16 jours pour "
             "un contrat) ; la durée compte du dépôt à la décision, hors attente des compléments.")
    return [funnel, by_region, weeks, instruction]
