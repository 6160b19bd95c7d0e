app-title = Сақшы — полицияның сервистік моделі
index-intro = { $city } қаласының квадранттары, учаскелік инспекторлары және полиция пункттері.
index-locate = Мекенжайым бойынша учаскелік инспекторды табу
index-lat = Ендік
index-lon = Бойлық
index-submit = Табу
index-api = Ашық API
index-illustrative = Демо қала: шекаралар мен деректер мысал ретінде берілген.
error-missing-field = «{ $field }» өрісі міндетті.
error-not-a-number = «{ $field }» өрісі сан болуы керек, «{ $value }» берілді.
error-out-of-range = «{ $field }» өрісі { $min } және { $max } аралығында болуы керек, { $value } берілді.
error-outside-quadrants = Бұл нүкте ешбір квадрантқа кірмейді. Ең жақын квадрант — { $quadrant }, { $distance } м қашықтықта.
error-no-quadrants = Бұл нүкте ешбір квадрантқа кірмейді, ал квадранттар әлі жүктелмеген.
error-not-found = { $what } табылмады.
error-no-city = Қала әлі жүктелмеген: алдымен аумақтарды импорттаңыз.
error-internal = Ішкі қате орын алды. Кейінірек қайталап көріңіз.
error-bad-query = Сұрау параметрлері қате: { $detail }
intake-divert = Бұл жағдай кезек күте алмайды: дәл қазір { $numbers } нөміріне қоңырау шалыңыз. Өтініш тіркелмеді.
intake-unknown-category = «{ $value }» санаты жоқ.
intake-empty-description = Мәселені сипаттаңыз.
intake-description-too-long = Сипаттама { $chars } таңбадан тұрады; ең көбі { $max } таңба.
intake-contact-required = Бұл санат үшін аты-жөніңіз бен телефоныңыз немесе электрондық поштаңыз қажет: жасырын өтініштер тек қылмыс туралы хабарланса ғана қаралады.
intake-consent-required = Байланыс деректерін берсеңіз, дербес деректерді өңдеуге келісім қажет.
intake-outside-city = Бұл нүкте қаладан тыс. Ең жақын квадрант — { $quadrant }, { $distance } м қашықтықта.
intake-unknown-point = «{ $value }» полиция пункті жоқ.
intake-empty-address = Мекенжай бос.
intake-no-routing = Өтініш санаттары әлі жүктелмеген.
intake-bad-body = Сұрау денесі қате: { $detail }
intake-idempotency-conflict = Бұл Idempotency-Key басқа сұрауда қолданылған.
error-tracking-not-found = Бұл бақылау коды бойынша өтініш табылмады.
staff-unauthorized = Кіру қажет: «Authorization: Bearer …» тақырыбында API токенін жіберіңіз.
staff-forbidden-role = «{ $role }» рөлі мұны істей алмайды: { $what }.
staff-forbidden-scope = Бұл өтініш сіздің аумағыңыздан тыс ({ $scope }).
staff-appeal-not-found = { $receipt } өтініші табылмады.
workflow-forbidden = { $actor } бұл өтінішке «{ $action }» әрекетін жасай алмайды.
workflow-no-task = Өтініште { $agency } органының тапсырмасы жоқ.
workflow-invalid-transition = «{ $state }» күйінен «{ $action }» әрекеті мүмкін емес.
workflow-missing-text = { $what } міндетті.
workflow-bad-extension = Жаңа мерзім { $due } болуы керек: { $current } күнінен кейін және { $limit } күнінен кешіктірмей (тіркелгеннен кейін екі ай).
workflow-bad-redirect = { $agency } органына жіберу мүмкін емес: бұл сол орган немесе оның ашық тапсырмасы бар.
workflow-reopen-over = Жауаппен келіспеу мерзімі { $date } күні аяқталды.
feedback-not-answered = Жауап берілгеннен кейін ғана бағалауға болады.
feedback-bad-rating = Баға 1-ден 5-ке дейінгі бүтін сан болуы керек.
feedback-too-long = Пікір тым ұзын: ең көбі { $max } таңба.
notify-subject = { $receipt } өтініші: { $kind ->
    [registered] тіркелді
    [redirected] басқа органға жіберілді
    [extended] мерзімі ұзартылды
    [answered] жауап берілді
    [reopened] қайта ашылды
    [escalated] мерзімі өтті
   *[closed] жабылды
    }
notify-body = Өтініш { $receipt }. Күйі: { $state }. Жауап мерзімі: { $due }.
notify-comment = Түсініктеме: { $comment }
notify-footer = Бұл хат автоматты түрде жіберілді; жауап бермеңіз. Өтінішті бақылау коды бойынша қадағалаңыз.
workflow-not-overdue = Тапсырманың мерзімі өтпеген немесе ол туралы хабарланған.
admin-invalid-file = Файлда { $chars } қате бар; ештеңе өзгертілмеді.
photo-not-image = { $value }-фото JPEG, PNG немесе WebP суреті емес.
photo-too-large = { $value }-фото тым үлкен.
photo-too-many = Ең көбі { $max } фото.

## Import problems (admin API): the place in the file, then one message per kind of problem (src/problems.rs).
import-at-file = файл
import-at-feature = №{ $index } нысан
import-at-feature-code = №{ $index } нысан ({ $code })
import-at-line = { $line }-жол
import-at-line-column = { $line }-жол, «{ $column }» бағаны
import-json = { $line ->
    [0] Файл жарамды JSON емес.
   *[other] Файл жарамды JSON емес: қате { $line }-жолдың { $column }-таңбасында.
    }
import-not-feature-collection = Файл «features» массиві бар GeoJSON FeatureCollection болуы керек.
import-not-feature = Нысан «properties» объектісі бар GeoJSON Feature болуы керек.
import-csv-field-count = Бұл жолда { $found } мән бар, ал тақырып жолында { $expected } баған бар.
import-csv-unreadable = CSV файлын оқу мүмкін емес.
import-missing = «{ $field }» өрісі міндетті.
import-missing-column = «{ $column }» бағаны міндетті.
import-not-text = «{ $field }» өрісі мәтін болуы керек.
import-not-boolean = «{ $field }» өрісі true немесе false болуы керек.
import-not-count = «{ $field }» өрісі теріс емес бүтін сан болуы керек.
import-not-list = «{ $field }» өрісі мәтіндер тізімі болуы керек.
import-number-out-of-range = «{ $field }» өрісі { $min } және { $max } аралығындағы сан болуы керек.
import-working-days-out-of-range = «{ $field }» өрісі жұмыс күндерінің бүтін саны болуы керек: кемінде { $min }, ең көбі { $max }.
import-not-email = «{ $field }» өрісіндегі мән электрондық пошта мекенжайы емес.
import-unknown-time-zone = «{ $field }» өрісі: «{ $value }» — IANA уақыт белдеуі емес (мысалы, Asia/Almaty).
import-unknown-name = «{ $field }» өрісінде «{ $value }» мәні жарамсыз; мүмкін мәндер: { $expected }.
import-unknown-lang = «{ $field }» өрісінде «{ $value }» тілі белгісіз: kk, ru немесе en болуы керек.
import-code-empty = «{ $field }» өрісіндегі код бос.
import-code-too-long = «{ $field }» өрісіндегі «{ $value }» коды 64 таңбадан ұзын.
import-code-bad-char = «{ $field }» өрісіндегі «{ $value }» кодында «{ $char }» таңбасы бар; тек A–Z, a–z, 0–9, «-», «_» және «.» таңбаларына рұқсат етіледі.
import-hours-empty = «{ $field }» өрісіндегі жұмыс уақыты бос.
import-hours-no-times = «{ $field }» өрісі: «{ $rule }» ережесінде уақыт аралығы жоқ (мысалы, «Mo-Fr 09:00-18:00»).
import-hours-bad-day = «{ $field }» өрісі: «{ $value }» — апта күні емес; Mo, Tu, We, Th, Fr, Sa, Su деп жазыңыз.
import-hours-bad-range = «{ $field }» өрісі: «{ $value }» — уақыт аралығы емес; СС:ММ-СС:ММ түрінде жазыңыз (мысалы, 09:00-18:00).
import-hours-backwards = «{ $field }» өрісі: «{ $value }» аралығы басталмай тұрып аяқталады.
import-hours-overlap = «{ $field }» өрісі: { $day ->
    [Mo] дүйсенбіде
    [Tu] сейсенбіде
    [We] сәрсенбіде
    [Th] бейсенбіде
    [Fr] жұмада
    [Sa] сенбіде
   *[Su] жексенбіде
    } { $first } және { $second } аралықтары қабаттасады.
import-phone = «{ $field }» өрісі: «{ $value }» — телефон нөмірі емес; +, цифрлар, бос орын, сызықша және жақша қолданыңыз, цифрлар саны 3-тен 15-ке дейін.
import-empty-text = «{ $field }» өрісінің { $lang ->
    [kk] қазақша
    [ru] орысша
   *[en] ағылшынша
    } мәтіні бос.
import-territory-missing-parent = { $level ->
    [district] Ауданның қай қалаға
   *[quadrant] Квадранттың қай ауданға
    } жататыны («parent» өрісі) көрсетілмеген.
import-territory-city-with-parent = Қаланың «parent» өрісі бос болуы керек: қала ешбір аумаққа жатпайды.
import-territory-pilot-not-quadrant = Пилоттық («pilot») деп тек квадрантты белгілеуге болады, { $level ->
    [city] қаланы
   *[district] ауданды
    } емес.
import-territory-empty-geometry = Геометрия бос.
import-geometry-missing = Нысанның геометриясы жоқ.
import-geometry-not-object = Геометрия «type» өрісі бар GeoJSON объектісі емес.
import-geometry-wrong-type = Геометрия түрі — { $found }, ал { $expected ->
    [point] Point
   *[polygonal] Polygon немесе MultiPolygon
    } болуы керек.
import-geometry-bad-nesting = Координаттар { $type } талап ететіндей құрылмаған.
import-geometry-bad-position = { $at ->
    [point] Нүктенің
   *[ring] №{ $polygon } полигонның №{ $ring } сақинасындағы №{ $index } нүктенің
    } координаттары [бойлық, ендік] сандары түрінде берілмеген.
import-geometry-out-of-range = { $at ->
    [point] Нүктенің
   *[ring] №{ $polygon } полигонның №{ $ring } сақинасындағы №{ $index } нүктенің
    } координаттары рұқсат етілген ауқымнан тыс: бойлық { $lon } [-180, 180] аралығында, ендік { $lat } [-90, 90] аралығында болуы керек (орындары ауысып кетпеді ме?).
import-geometry-ring-not-closed = №{ $polygon } полигонның №{ $ring } сақинасы тұйықталмаған: соңғы нүктесі біріншісін қайталауы керек.
import-geometry-ring-too-short = №{ $polygon } полигонның №{ $ring } сақинасында { $points } нүкте бар; тұйық сақинаға кемінде 4 нүкте қажет.
import-polygon-too-few-distinct = №{ $polygon } полигонның №{ $ring } сақинасында әртүрлі нүктелер 3-тен аз.
import-polygon-self-intersection = №{ $polygon } полигонның №{ $ring } сақинасы өзін-өзі қиып өтеді.
import-polygon-hole-outside = №{ $polygon } полигонның №{ $ring } сақинасы (ойық) сыртқы сақинаның ішінде жатпайды.
import-polygon-rings-touch = №{ $polygon } полигонның №{ $first } және №{ $second } сақиналары сызық бойымен жанасады.
import-polygon-rings-overlap = №{ $polygon } полигонның №{ $first } және №{ $second } сақиналары қабаттасады.
import-polygon-parts-overlap = №{ $first } және №{ $second } полигондар қабаттасады.
import-polygon-parts-touch = №{ $first } және №{ $second } полигондар сызық бойымен жанасады.
import-duplicate = { $code } коды екі рет кездеседі (алғаш рет: { $first }).
import-no-city = Қала жоқ: файлда level мәні «city» болатын бір нысан болуы керек (дерекқорда әлі қала жоқ).
import-second-city = Екінші қала: бір файл тек бір қаланы сипаттайды.
import-other-city = Файл { $file } қаласын сипаттайды, ал бұл дерекқорда { $stored } қаласы сақталған.
import-unknown-parent = «parent» өрісіндегі { $parent } — белгісіз { $level ->
    [city] қала
   *[district] аудан
    } (бұл файлда да, дерекқорда да жоқ).
import-outside-parent = Аумақтың { $outside } м² бөлігі { $parent } шекарасынан тыс жатыр (рұқсат етілген шегі { $limit } м²).{ $swapped ->
    [true] {" "}Бойлық пен ендіктің орнын ауыстырсаңыз, ол { $parent } ішіне түседі: GeoJSON позициялары [бойлық, ендік] ретімен жазылады.
   *[other] {""}
    }
import-overlap = Аумақ { $other } аумағымен { $overlap } м² қабаттасады (рұқсат етілген шегі { $limit } м²).
import-gap = Аумақтың { $gap } м² бөлігі ешбір { $level ->
    [district] ауданға
   *[quadrant] квадрантқа
    } кірмейді (бос орын).
import-unknown-quadrant = Белгісіз квадрант: { $code }.
import-unknown-point = Белгісіз полиция пункті: { $code }.
import-routing-unknown-agency = «{ $category }» санаты: { $agency } органы белгісіз ({ $role ->
    [primary] негізгі орган
    [joint] бірлескен орган
   *[referral] жолдауға болатын орган
    }).
import-routing-emergency-without-line = «{ $category }» санаты шұғыл, сондықтан оның негізгі органы жедел желі (102, 112, 103) болуы керек.
import-routing-primary-also-joint = «{ $category }» санаты: негізгі орган бірлескен органдардың арасында да көрсетілген.
import-routing-bad-override = { $district } ауданындағы бағыттау ережесі («{ $category }» санаты, { $replaces } органының орнына): { $code } деген { $what ->
    [category] санат
    [district] аудан
   *[agency] орган
    } жоқ.
import-routing-duplicate-override = { $district } ауданындағы бағыттау ережесі («{ $category }» санаты, { $replaces } органының орнына) екі рет берілген.
open311-api-key-required = api_key міндетті: кілттерді қаладағы Sakshy әкімшісі береді.
open311-api-key-invalid = Бұл api_key жарамсыз немесе күші жойылған.
open311-unavailable = Қызмет қазір жауап бере алмайды; кейінірек қайталаңыз.
open311-bad-datetime = { $field }: «{ $value }» W3C күні мен уақыты емес (мысалы, 2026-01-01T00:00:00Z).
open311-dates-together = start_date пен end_date екеуін де беріңіз немесе екеуін де бермеңіз.
open311-end-before-start = end_date мәні start_date мәнінен бұрын.
open311-span-too-long = start_date пен end_date арасы ең көбі { $max } күн болуы керек.
open311-bad-media-url = media_url «{ $value }» ұзындығы ең көбі { $max } таңба болатын толық http немесе https мекенжайы емес.
open311-too-many-media-urls = media_url мәндері ең көбі { $max }.
open311-too-large = Сұрау тым үлкен: ең көбі { $max } МБ.
open311-bad-body = Сұрау денесін оқу мүмкін емес: { $detail }
open311-unexpected-file = Күтілмеген файл бөлігі «{ $field }»: фотоларды «media» ретінде жіберіңіз.
open311-update-register = Өтініш тіркеліп, жіберілді: { $agency }.
open311-update-accept = { $agency }: өтініш қабылданды.
open311-update-start = { $agency }: өтініш бойынша жұмыс басталды.
open311-update-extend = { $agency }: мерзім ұзартылды.
open311-update-answer = { $agency }: жауап берілді.
open311-update-redirect = { $agency }: өтініш басқа органға берілді.
open311-update-reject = { $agency }: өтініш қабылданбады.
open311-update-reopen = Өтініш беруші жауаппен келіспеді; өтініш қайта ашылды.
open311-update-close = Өтініш жабылды.
