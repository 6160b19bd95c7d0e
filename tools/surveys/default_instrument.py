"""The default service-model instrument, written as data/surveys/service-model.json (the canonical form that
`Instrument::to_json` writes; a Rust test checks that the file is in it). Run from the repository root:

    python3 tools/surveys/default_instrument.py
"""

import json


def t(kk, ru, en):
    return {"kk": kk, "ru": ru, "en": en}


def item(name, kind, label, *, list_=None, max_chars=None, hint=None, required=False, relevant=None, role=None):
    out = {"name": name, "type": kind}
    if list_ is not None:
        out["list"] = list_
    if max_chars is not None:
        out["max_chars"] = max_chars
    out["label"] = label
    if hint is not None:
        out["hint"] = hint
    if required:
        out["required"] = True
    if relevant is not None:
        out["relevant"] = relevant
    if role is not None:
        out["role"] = role
    return out


def trust(name, kk, ru, en):
    return item(name, "likert", t(f"{kk} қаншалықты сенесіз?", f"Насколько вы доверяете {ru}?", f"How much do you trust {en}?"), list_="scale5")


ITEMS = [
    item("quadrant", "quadrant", t("Сіз қай квадрантта тұрасыз?", "В каком квадранте вы живёте?", "Which quadrant do you live in?"),
         hint=t("Картадан немесе тізімнен таңдаңыз", "Выберите на карте или в списке", "Choose on the map or from the list"),
         required=True, role="quadrant"),
    item("age_band", "single", t("Жасыңыз", "Ваш возраст", "Your age"), list_="age_band", required=True, role="age_band"),
    item("sex", "single", t("Жынысыңыз", "Ваш пол", "Your sex"), list_="sex", required=True, role="sex"),
    trust("trust_police", "Полицияға", "полиции", "the police"),
    trust("trust_akimat", "Әкімдікке", "акимату", "the akimat"),
    trust("trust_schools", "Мектептерге", "школам", "schools"),
    trust("trust_health", "Денсаулық сақтау мекемелеріне (емханалар, ауруханалар)", "учреждениям здравоохранения (поликлиникам, больницам)", "health services (clinics, hospitals)"),
    trust("trust_social", "Әлеуметтік қорғау органдарына", "органам социальной защиты", "social protection services"),
    trust("trust_prosecutor", "Прокуратураға", "прокуратуре", "the prosecutor's office"),
    item("safe_night", "likert", t("Түнде өз ауданыңызда жалғыз жүргенде өзіңізді қаншалықты қауіпсіз сезінесіз?",
                                   "Насколько безопасно вы чувствуете себя, когда ночью идёте один по своему району?",
                                   "How safe do you feel walking alone in your area at night?"), list_="scale5"),
    item("safe_day", "likert", t("Күндіз өз ауданыңызда жүргенде өзіңізді қаншалықты қауіпсіз сезінесіз?",
                                 "Насколько безопасно вы чувствуете себя днём в своём районе?",
                                 "How safe do you feel in your area during the day?"), list_="scale5"),
    item("victim", "yes_no", t("Соңғы 12 айда сіз қылмыстың немесе құқық бұзушылықтың құрбаны болдыңыз ба?",
                               "Становились ли вы жертвой преступления или правонарушения за последние 12 месяцев?",
                               "In the last 12 months, have you been a victim of a crime or offence?")),
    item("reported", "yes_no", t("Бұл туралы полицияға хабарладыңыз ба?", "Сообщили ли вы об этом в полицию?", "Did you report it to the police?"),
         relevant="${victim} = 'yes'"),
    item("knows_inspector", "yes_no", t("Өз учаскелік полиция инспекторыңызды білесіз бе?",
                                        "Знаете ли вы своего участкового инспектора полиции?",
                                        "Do you know your district police inspector?")),
    item("knows_point", "yes_no", t("Учаскелік полиция пунктіңіз қайда орналасқанын білесіз бе?",
                                    "Знаете ли вы, где находится ваш участковый пункт полиции?",
                                    "Do you know where your district police point is?")),
    item("police_contact", "yes_no", t("Соңғы 12 айда полициямен байланыста болдыңыз ба?",
                                       "Были ли у вас контакты с полицией за последние 12 месяцев?",
                                       "Have you had contact with the police in the last 12 months?")),
    item("contact_satisfaction", "likert", t("Полициямен соңғы байланысыңызға қаншалықты ризасыз?",
                                             "Насколько вы удовлетворены последним контактом с полицией?",
                                             "How satisfied are you with your last contact with the police?"),
         list_="scale5", relevant="${police_contact} = 'yes'"),
    item("problems", "multiple", t("Сіздің ауданыңызда қандай мәселелер бар?", "Какие проблемы есть в вашем районе?",
                                   "Which problems are there in your neighbourhood?"),
         list_="problems", hint=t("Бірнешеуін таңдауға болады", "Можно выбрать несколько", "You may choose several")),
    item("comment", "text", t("Полиция мен әкімдіктің жұмысы туралы тағы не айтқыңыз келеді?",
                              "Что ещё вы хотели бы сказать о работе полиции и акимата?",
                              "Is there anything else you would like to say about the work of the police and the akimat?"),
         max_chars=1000,
         hint=t("Аты-жөндерді, телефон нөмірлерін және басқа жеке деректерді жазбаңыз",
                "Не пишите имена, номера телефонов и другие личные данные",
                "Please do not write names, phone numbers or other personal details")),
]

CHOICES = {
    "age_band": [
        {"name": "18-29", "label": t("18–29", "18–29", "18–29")},
        {"name": "30-44", "label": t("30–44", "30–44", "30–44")},
        {"name": "45-59", "label": t("45–59", "45–59", "45–59")},
        {"name": "60+", "label": t("60 және одан жоғары", "60 и старше", "60 and over")},
    ],
    "problems": [
        {"name": "lighting", "label": t("Көше жарығы нашар", "Плохое освещение улиц", "Poor street lighting")},
        {"name": "drugs", "label": t("Есірткі", "Наркотики", "Drugs")},
        {"name": "alcohol", "label": t("Қоғамдық орындарда ішімдік ішу", "Распитие алкоголя в общественных местах", "Drinking in public places")},
        {"name": "noise", "label": t("Шу", "Шум", "Noise")},
        {"name": "stray_dogs", "label": t("Қаңғыбас иттер", "Бездомные собаки", "Stray dogs")},
        {"name": "vandalism", "label": t("Вандализм", "Вандализм", "Vandalism")},
        {"name": "road_safety", "label": t("Жол қауіпсіздігі", "Безопасность дорожного движения", "Road safety")},
        {"name": "abandoned_buildings", "label": t("Иесіз ғимараттар", "Заброшенные здания", "Abandoned buildings")},
        {"name": "none", "label": t("Ешқандай мәселе жоқ", "Никаких проблем", "No problems")},
    ],
    "scale5": [
        {"name": "1", "label": t("Мүлдем жоқ", "Совсем нет", "Not at all")},
        {"name": "2", "label": t("Аздап", "Немного", "A little")},
        {"name": "3", "label": t("Орташа", "Отчасти", "Moderately")},
        {"name": "4", "label": t("Көбінесе", "В основном", "Mostly")},
        {"name": "5", "label": t("Толығымен", "Полностью", "Completely")},
    ],
    "sex": [
        {"name": "female", "label": t("Әйел", "Женский", "Female")},
        {"name": "male", "label": t("Ер", "Мужской", "Male")},
    ],
}


def index(code, label, items, min_answered):
    return {"code": code, "label": label, "items": [{"name": n} for n in items], "min_answered": min_answered}


INDICES = [
    index("trust_police", t("Полицияға сенім", "Доверие к полиции", "Trust in the police"), ["trust_police"], 1),
    index("trust_agencies", t("Мемлекеттік органдарға сенім", "Доверие к государственным органам", "Trust in public agencies"),
          ["trust_akimat", "trust_schools", "trust_health", "trust_social", "trust_prosecutor"], 3),
    index("safety", t("Қауіпсіздік сезімі", "Чувство безопасности", "Feeling of safety"), ["safe_night", "safe_day"], 1),
    index("awareness", t("Полиция туралы хабардарлық", "Осведомлённость о полиции", "Awareness of the police"),
          ["knows_inspector", "knows_point"], 2),
    index("satisfaction", t("Полициямен байланысқа қанағаттану", "Удовлетворённость контактом с полицией", "Satisfaction with police contact"),
          ["contact_satisfaction"], 1),
]

INSTRUMENT = {
    "code": "service-model",
    "version": "2026-1",
    "title": t("Полицияның сервистік моделі: тұрғындар сауалнамасы", "Сервисная модель полиции: опрос жителей",
               "Police service model: residents' survey"),
    "default_lang": "kk",
    "items": ITEMS,
    "choice_lists": CHOICES,
    "indices": INDICES,
}

if __name__ == "__main__":
    with open("data/surveys/service-model.json", "w", encoding="utf-8") as f:
        f.write(json.dumps(INSTRUMENT, ensure_ascii=False, indent=2) + "\n")
