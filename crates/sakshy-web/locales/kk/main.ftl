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

## Resident portal
pages-product = Сақшы
pages-skip = Негізгі мазмұнға өту
pages-language = Тіл
pages-footer = Шұғыл жағдайда қоңырау шалыңыз: 102 — полиция, 112 — бірыңғай құтқару қызметі, 103 — жедел медициналық жәрдем.
portal-nav = Тұрғынға арналған бөлімдер
portal-nav-find = Менің учаскелік инспекторым
portal-nav-appeal = Өтініш беру
portal-nav-track = Өтінішті қадағалау
portal-unavailable = Қызмет әлі дайын емес
portal-back-home = Басты бетке оралу
portal-not-found = Бет табылмады
portal-find-title = Менің учаскелік инспекторым
portal-find-by-address = Мекенжай бойынша іздеу
portal-address = Көше немесе шағын аудан
portal-search = Іздеу
portal-find-by-map = Картадан таңдау
portal-map-hint = Картада үйіңіз тұрған жерді басыңыз немесе квадратты таңдаңыз.
portal-find-by-coordinates = Координаттар бойынша іздеу
portal-find-by-location = Орналасқан жерім бойынша
portal-use-location = Орналасқан жерімді анықтау
portal-location-failed = Орналасқан жеріңізді анықтау мүмкін болмады. Мекенжайды теріңіз немесе картадан таңдаңыз.
portal-results = Іздеу нәтижелері
portal-no-results = «{ $value }» бойынша ештеңе табылмады. Көшенің немесе шағын ауданның атауын басқаша жазып көріңіз.
portal-kind-street = көше
portal-kind-microdistrict = шағын аудан
portal-bad-coordinates = Ендік пен бойлықты сан түрінде енгізіңіз (мысалы, 42.29871 және 69.61030).
portal-quadrant-title = { $quadrant } квадранты
portal-district = Аудан
portal-pilot = Пилоттық квадрант
portal-inspectors = Учаскелік полиция инспекторы
portal-no-inspector = Бұл квадрантқа учаскелік инспектор әлі тағайындалмаған.
portal-rank = Атағы
portal-phone = Пост телефоны
portal-reception = Қабылдау уақыты
portal-points = Полиция пункттері
portal-no-points = Бұл квадрантта полиция пункті жоқ.
portal-hours = Жұмыс уақыты
portal-open-now = Қазір ашық
portal-closed-now = Қазір жабық
portal-resolved = Шешілген өтініштер
portal-resolved-30 = Соңғы 30 күнде: { $count }
portal-resolved-90 = Соңғы 90 күнде: { $count }
portal-quadrant-map = Квадрант картасы
portal-file-here = Осы квадрант бойынша өтініш беру
portal-quadrant-not-found = «{ $code }» коды бар квадрант жоқ.
portal-map-title = { $city } қаласының квадранттары
portal-map-legend = Шартты белгілер
portal-map-quadrant = Квадрант шекарасы
portal-map-pilot = Пилоттық квадрант
portal-map-point = Полиция пункті
portal-map-appeal = Өтініш
portal-map-scale = { $distance } м
portal-appeal-title = Өтініш беру
portal-emergency-title = Шұғыл жағдай ма? Бірден қоңырау шалыңыз
portal-emergency-text = Өмірге, денсаулыққа немесе мүлікке қауіп төнсе, өтініш бермеңіз — бірден қоңырау шалыңыз. Бұл санаттар бойынша өтініш қабылданбайды:
portal-call = Қоңырау шалу: { $numbers }
portal-category = Санат
portal-category-choose = — санатты таңдаңыз —
portal-description = Мәселенің сипаттамасы
portal-location = Орны
portal-location-how = Орнын бір тәсілмен көрсетіңіз: мекенжай, картадағы нүкте немесе полиция пункті.
portal-address-field = Мекенжай
portal-point = Полиция пункті
portal-point-none = — таңдалмаған —
portal-photo = Фото (міндетті емес, JPEG немесе PNG)
portal-public-title = Не жария болады және не кімге жіберіледі
portal-public-what = Жария болатыны: санат, шамамен орны (шамамен 100 м дәлдікпен) және өтініштің барысы — оларды ашық деректерден кез келген адам көре алады.
portal-public-who = Сипаттама мен фото учаскелік полиция инспекторына және санатқа сәйкес жауапты мемлекеттік органға жіберіледі; олар жарияланбайды.
portal-public-contact = Аты-жөніңіз, телефоныңыз бен электрондық поштаңыз жарияланбайды: оларды тек өтінішті қарайтын қызметкерлер көреді, әр қарау журналға жазылады.
portal-public-photo = Фотодан орналасқан жер мен құрылғы туралы деректер өшіріледі.
portal-contact = Байланыс деректері (міндетті емес)
portal-name = Аты-жөні
portal-phone-field = Телефон
portal-email = Электрондық пошта
portal-consent = Дербес деректерімді осы өтінішті қарау үшін өңдеуге келісемін («Дербес деректер және оларды қорғау туралы» Қазақстан Республикасының Заңы).
portal-continue = Жалғастыру
portal-submit = Өтінішті жіберу
portal-edit = Өзгерту
portal-confirm-title = Тексеріп, жіберіңіз
portal-duplicates = Жақын жерде осындай өтініштер бар
portal-duplicates-text = Мүмкін, бұл мәселе туралы хабарланған шығар. Бар өтініш туралы білу үшін оның нөмірін сақтаңыз немесе өз өтінішіңізді бәрібір жіберіңіз.
portal-duplicate-item = { $receipt } — { $date }, { $distance } м
portal-no-duplicates = Жақын жерде осындай ашық өтініш жоқ.
portal-form-errors = Формада қателер бар: олар өрістердің жанында көрсетілген.
portal-csrf = Форманың мерзімі өтіп кетті немесе ол басқа сайттан жіберілді. Бетті жаңартып, қайталап көріңіз.
portal-choose-location = Мекенжайды, картадағы нүктені немесе полиция пунктін көрсетіңіз.
portal-bad-phone = Телефон нөмірін +7 700 000 00 00 түрінде енгізіңіз.
portal-bad-email = Бұл электрондық пошта мекенжайы емес.
portal-photo-error = Фотоны оқу мүмкін болмады: JPEG немесе PNG файлын жүктеңіз (ең көбі 8 МБ).
portal-receipt-title = Өтініш қабылданды
portal-receipt-number = Тіркеу нөмірі
portal-due = Жауап мерзімі
portal-sent-to = Кімге жіберілді
portal-tracking-link = Қадағалау сілтемесі
portal-tracking-keep = Осы сілтемені сақтаңыз: өтініштің барысын тек ол арқылы көруге болады. Біз оны қайта көрсете алмаймыз.
portal-track-title = Өтінішті қадағалау
portal-track-code = Қадағалау коды
portal-track-help = Өтініш берілгеннен кейін берілген қадағалау кодын немесе сілтемені енгізіңіз.
portal-track-open = Ашу
portal-track-not-found = Мұндай қадағалау коды бар өтініш жоқ.
portal-state = Күйі
portal-registered-on = Тіркелген күні
portal-history = Барысы
portal-state-registered = Тіркелді
portal-state-in_progress = Қаралуда
portal-state-extended = Мерзімі ұзартылды
portal-state-answered = Жауап берілді
portal-state-reopened = Қайта ашылды
portal-state-rejected = Қабылданбады
portal-state-closed = Жабылды
portal-rate-title = Жауапты бағалаңыз
portal-rating = Баға (1-ден 5-ке дейін)
portal-comment = Пікір (міндетті емес)
portal-rate = Бағалау
portal-rated = Бағаңыз үшін рақмет.
portal-reopen-title = Жауаппен келіспеймін
portal-reason = Себебі
portal-reopen = Өтінішті қайта ашу
portal-close-title = Жауап мені қанағаттандырады
portal-close = Өтінішті жабу
portal-done = Сақталды.
portal-rank-sergeant = сержант
portal-rank-senior_sergeant = аға сержант
portal-rank-sergeant_major = старшина
portal-rank-lieutenant = лейтенант
portal-rank-senior_lieutenant = аға лейтенант
portal-rank-captain = капитан
portal-rank-major = майор
portal-rank-lieutenant_colonel = подполковник
portal-rank-colonel = полковник
portal-day-mo = Дс
portal-day-tu = Сс
portal-day-we = Ср
portal-day-th = Бс
portal-day-fr = Жм
portal-day-sa = Сб
portal-day-su = Жс
portal-hours-closed = жабық
portal-hours-none = көрсетілмеген
portal-address-of-point = Мекенжайы
portal-nearest-points = Жақын полиция пункттері
portal-walk = { $distance } м, жаяу шамамен { $count } мин
portal-category-required = Санатты таңдаңыз.
portal-confirm-category = Санат
portal-confirm-location = Орны
portal-confirm-contact = Байланыс
portal-anonymous = көрсетілмеген (жасырын өтініш)
portal-photo-hint = Фотоны осы қадамда қосуға болады: ең көбі 3 фото, әрқайсысы 8 МБ-қа дейін.
portal-map-pick = Картадан нүктені таңдау үшін оны басыңыз (JavaScript қажет). JavaScript болмаса, мекенжайды немесе полиция пунктін көрсетіңіз.
portal-or = немесе
portal-registered = Тіркелген күні

## API docs
apidocs-title = API құжаттамасы
apidocs-intro = Осы сервердің барлық әдістері, оның OpenAPI сипаттамасы бойынша. Бұл беттегінің бәрін Sakshy өзі береді; интернеттен ештеңе жүктелмейді.
apidocs-openapi = OpenAPI 3.1 сипаттамасы (JSON)
apidocs-open311 = Open311 GeoReport v2: қызмет сипаттамасы
apidocs-contents = Әдістер
apidocs-auth = Қызметкердің API токені қажет: Authorization: Bearer …
apidocs-parameters = Параметрлер
apidocs-responses = Жауаптар
apidocs-name = Атауы
apidocs-in = Қайда
apidocs-required = Міндетті
apidocs-description = Сипаттамасы
apidocs-status = Мәртебе
apidocs-yes = иә
apidocs-no = жоқ

## Accounts and login
auth-login-title = Қызметкерлердің кіруі
auth-login = Логин
auth-password = Құпиясөз
auth-sign-in = Кіру
auth-sign-out = Шығу
auth-wrong = Логин немесе құпиясөз қате.
auth-locked = Құпиясөз тым көп рет қате енгізілді. Бұл тіркелгіге кіру { $min } минутқа бұғатталды; кейінірек қайталаңыз.
auth-throttled = Бұл мекенжайдан кіру әрекеттері тым көп рет сәтсіз болды. { $min } минуттан кейін қайталаңыз.
auth-forbidden = Кіруге рұқсат жоқ
auth-csrf-refused = Пішіннің мерзімі өтті немесе ол осы сайттан жіберілмеген. Бетті қайта ашып, әрекетті қайталаңыз.
auth-signed-in-as = Кірген қызметкер: { $what }
console-nav = Қызметкердің жұмыс орны
console-queue-title = Өтініштер кезегі
console-filter-state = Күйі
console-filter-category = Санаты
console-filter-quadrant = Квадрант
console-filter-overdue = Тек мерзімі өткендер
console-filter-text = Нөмірі немесе мәтін
console-filter-apply = Сүзу
console-any = Кез келген
console-count-shown = Көрсетілгені: { $numbers }
console-count-overdue = Мерзімі өткені: { $numbers }
console-col-receipt = Нөмірі
console-col-due = Мерзімі
console-overdue = мерзімі өтті
console-due-soon = мерзімі жақын
console-next-page = Келесі бет
console-empty = Сәйкес өтініштер жоқ.
console-forbidden-role = Сіздің рөліңізге рұқсат жоқ: { $what }.
console-forbidden-scope = Бұл өтініш сіздің аумағыңыздан тыс ({ $scope }).
console-appeal-title = { $receipt } өтініші
console-description = Сипаттамасы
console-address = Мекенжайы
console-contact = Өтініш берушінің байланыс деректері
console-contact-name = Аты
console-contact-phone = Телефоны
console-contact-email = Электрондық поштасы
console-contact-none = Өтініш беруші байланыс деректерін қалдырмаған.
console-contact-masked = Жасырылған: сіздің рөліңіз бұл өтінішпен жұмыс істемейді.
console-contact-audited = Бұл қарау аудит журналына жазылды.
console-tasks = Тапсырмалар
console-agency = Орган
console-assignee = Тағайындалған қызметкер
console-public-history = Жария тарих
console-internal-notes = Қызметкерлер әрекеттері бар толық тарих (тек қызметкерлерге)
console-actions = Әрекеттер
console-no-actions = Өтініштің қазіргі күйінде сіздің рөліңізге әрекет жоқ.
console-action-accept = Қабылдау
console-action-start = Жұмысты бастау
console-action-answer = Өтініш берушіге жауап беру
console-action-extend = Мерзімді ұзарту
console-action-redirect = Басқа органға жіберу
console-action-reject = Қабылдамау
console-action-assign = Қызметкер тағайындау
console-action-close = Жабу
console-answer-text = Жауап
console-reason = Себебі
console-new-due = Жаңа мерзім
console-to-agency = Орган
console-officer = Қызметкер
console-counts = Күйлері бойынша
console-task-accepted = Қабылданды
console-task-redirected = Басқа органға жіберілді
console-event-register = тіркелді
console-event-reopen = өтініш беруші қайта ашты
console-event-escalate = мерзімі өткендіктен басшыға жіберілді
console-notes = Ішкі жазбалар (тек қызметкерлерге)
console-notes-none = Әзірге жазба жоқ.
console-note-text = Жазба
console-note-add = Жазбаны қосу
console-done = Сақталды.

## Audit log
admin-bad-time = «{ $field }» RFC 3339 пішіміндегі уақыт болуы керек, мысалы 2026-12-01T09:00:00Z.
admin-bad-cursor = «after» алдыңғы беттің next_page мәні болуы керек.
audit-title = Аудит журналы
audit-intro = Тұрғындардың дербес деректерін кім көрді, кім нені өзгертті, қашан және қай мекенжайдан — алдымен жаңалары. Бұл журналды қарау да оған жазылады.
audit-from = Бастап (күні)
audit-to = Дейін (күнін қоса)
audit-actor = Кім
audit-action = Не істеді
audit-object = Неге қатысты
audit-at = Қашан
audit-address = Мекенжайы
audit-export = CSV-ге жүктеу (осы сүзгілермен)
audit-empty = Сәйкес оқиға жоқ.
audit-bad-date = «{ $field }» күн болуы керек, мысалы 2026-12-01.

## Reception and overview
console-nav-reception = Қабылдау журналы
reception-title = Полиция пунктінің қабылдау журналы
reception-new-visit = Келушіні тіркеу
reception-point = Полиция пункті
reception-category = Келушінің мәселесі (санат)
reception-description = Келуші не айтады
reception-place = Мәселе қай жерде
reception-place-point = Полиция пункті орналасқан жерде (оның квадраты)
reception-place-address = Мекенжай бойынша
reception-address = Мекенжай (көше немесе шағын аудан, үй)
reception-contact = Келушінің байланыс деректері (қалауы бойынша)
reception-consent = Келуші өтінішті қарау үшін дербес деректерін өңдеуге келісім береді (қызметкер сұрап, белгіледі).
reception-file = Оның атынан өтініш беру
reception-today = Бүгінгі келушілер
reception-none-today = Бүгін келуші тіркелмеген.
reception-time = Уақыты
reception-no-points = Сіздің аумағыңызда полиция пункті жоқ: қабылдау журналын жүргізетін жер жоқ.
reception-point-required = Өз полиция пункттеріңіздің бірін таңдаңыз.
reception-address-required = Мекенжайды енгізіңіз немесе полиция пунктінің орнын таңдаңыз.
reception-consent-required = Байланыс деректері тек келушінің келісімімен сақталады: одан сұрап, белгі қойыңыз немесе байланыс өрістерін бос қалдырыңыз.
reception-filed-title = Келушінің өтініші берілді
reception-filed-hand = Бұл бетті басып шығарыңыз немесе келушіге өтініш нөмірі мен бақылау сілтемесін жазып беріңіз: сілтемені қайта көрсету мүмкін емес.
reception-back = Қабылдау журналына оралу
overview-title = { $code } квадраты
overview-not-found = Мұндай квадрат жоқ.
overview-open = Ашық
overview-overdue = Мерзімі өткен
overview-answered = Жауап берілген
overview-queue = Осы квадраттың кезегін ашу
overview-categories = Соңғы 30 күндегі өтініштер санаттар бойынша
overview-count = Өтініштер
overview-no-appeals = Соңғы 30 күнде өтініш жоқ.
overview-inspectors = Учаскелік полиция инспекторлары
overview-points = Полиция пункттері
overview-none = Жоқ.

## Administration pages
admin-title = Әкімшілік
admin-registry = Тізілім
admin-users = Есептік жазбалар
admin-holidays = Өндірістік күнтізбе
admin-load = Файл жүктеу
admin-load-intro = Файлда не бар екенін және файлдың өзін таңдаңыз. Ештеңе сақталмас бұрын не өзгеретінін көресіз.
admin-kind = Файлда не бар
admin-file = Файл
admin-preview = Тексеру және өзгерістерді көрсету
admin-kind-territories = Аумақтар (GeoJSON)
admin-kind-points-csv = Полиция пункттері (CSV)
admin-kind-points-geojson = Полиция пункттері (GeoJSON)
admin-kind-officers = Қызметкерлер (CSV)
admin-kind-agencies = Ведомстволар (CSV)
admin-kind-categories = Өтініш санаттары (CSV)
admin-kind-routing = Аудандар бойынша бағыттау (CSV)
admin-categories = Өтініш санаттары
admin-agencies = Ведомстволар
admin-points = Полиция пункттері
admin-officers = Қызметкерлер
admin-changes = Соңғы өзгерістер
admin-none = Әзірге жоқ.
admin-col-code = Код
admin-col-name = Атауы
admin-col-agency = Жауапты ведомство
admin-col-deadline = Мерзім
admin-col-quadrants = Квадраттар
admin-col-what = Не
admin-col-change = Өзгеріс
admin-col-where = Қайда
admin-col-problem = Қате
admin-col-login = Логин
admin-col-role = Рөлі
admin-col-scope = Аймақ
admin-col-status = Күйі
admin-col-actions = Әрекеттер
admin-col-date = Күні
admin-col-kind = Түрі
admin-working-days = { $count } жұмыс күні
admin-bad-form = Форманы оқу мүмкін болмады. Қайталап көріңіз.
admin-no-file = Жүктейтін файлды таңдаңыз.
admin-preview-title = Файл нені өзгертеді
admin-problems = Файлдағы қателер
admin-problems-count = Файлда { $count } қате бар; ештеңе өзгертілген жоқ.
admin-what-changes = Не өзгереді
admin-nothing-changes = Файл сақталғанмен бірдей: ештеңе өзгермейді.
admin-city-changes = Қаланың өз баптаулары (атауы, уақыт белдеуі немесе орталығы) өзгереді.
admin-added = Қосылады
admin-changed = Өзгереді
admin-removed = Жойылады
admin-unchanged = Өзгеріссіз
admin-warnings = Ескертулер
admin-apply = Өзгерістерді қолдану
admin-cancel = Бас тарту
admin-back = Тізілімге оралу
admin-imported = Дайын: { $added } қосылды, { $changed } өзгерді, { $unchanged } өзгеріссіз.
admin-disabled = Өшірілген
admin-active = Белсенді
admin-enable = Қосу
admin-disable = Өшіру
admin-reset = Жаңа құпиясөз
admin-change-role = Рөл мен аймақты өзгерту
admin-add-user = Есептік жазба қосу
admin-choose = Таңдаңыз…
admin-scope-help = Аймақ: city, district:КОД, quadrants:КОД;КОД немесе agency:КОД.
admin-bad-login = Логин — 3-тен 64-ке дейін кіші латын әрпі, сан, нүкте, сызықша немесе астыңғы сызық.
admin-name-required = Әріптестер көретін атты жазыңыз.
admin-role-required = Рөлді таңдаңыз.
admin-bad-scope = «{ $what }» аймақ емес: city, district:КОД, quadrants:КОД;КОД немесе agency:КОД деп жазыңыз.
admin-login-taken = { $what } логині бос емес.
admin-not-yourself = Өз есептік жазбаңызды өшіруге немесе өз рөліңізді өзгертуге болмайды.
admin-no-user = { $what } есептік жазбасы жоқ.
admin-password-title = Жаңа құпиясөз
admin-password-for = { $what } үшін құпиясөз:
admin-password-once = Оны өзіңіз тапсырыңыз. Ол тек қазір көрсетіледі және оқылатын түрде сақталмайды; есептік жазбаның ашық сеанстары аяқталды.
admin-back-users = Есептік жазбаларға оралу
admin-holidays-intro = Мереке күндері, ауыстырылған демалыс күндері және жұмыс істейтін демалыс күндері — жұмыс күндерімен есептелетін мерзімдер осылар бойынша есептеледі. Үкімет күнтізбені бекіткенде немесе өзгерткенде жыл файлын жүктеңіз.
admin-years = Жылдар
admin-holidays-preview = { $what } жылғы файл
admin-holidays-load = Жылды жүктеу
admin-holidays-format = date,kind,name_kk,name_ru,name_en бағандары бар CSV; kind — holiday, day_off немесе working_day.
admin-year = Жыл
admin-bad-year = 2000 мен 2099 аралығындағы жылды жазыңыз.
admin-day-holiday = Мереке
admin-day-off = Демалыс (ауыстырылған)
admin-day-working = Жұмыс күні
role-administrator = Әкімші
role-supervisor = Басшы
role-district_inspector = Учаскелік инспектор
role-duty_officer = Полиция пунктінің кезекшісі
role-agency_officer = Серіктес ведомство қызметкері
role-analyst = Талдаушы
role-read_only = Тек қарау
calendar-err-csv = { $line }-жол: жол дұрыс CSV жазбасы емес.
calendar-err-column = { $line }-жол: тақырыпта { $column } бағаны жоқ (күтілетіні: date,kind,name_kk,name_ru,name_en).
calendar-err-date = { $line }-жол, date бағаны: «{ $value }» күн емес (ЖЖЖЖ-АА-КК түрінде жазыңыз).
calendar-err-year = { $line }-жол, date бағаны: { $date } { $year } жылға жатпайды.
calendar-err-kind = { $line }-жол, kind бағаны: «{ $value }» белгісіз түр; holiday, day_off немесе working_day қолданыңыз.
calendar-err-working-weekday = { $line }-жол, kind бағаны: { $date } — жұмыс күні; working_day тек сенбі не жексенбіге арналған.
calendar-err-off-weekend = { $line }-жол, kind бағаны: { $date } — демалыс күні; day_off тек дүйсенбі–жұмаға арналған.
calendar-err-duplicate = { $line }-жол, date бағаны: { $date } { $first }-жолда көрсетілген.
calendar-err-name = { $line }-жол, { $column } бағаны: атауы бос.
calendar-err-gap = Күнтізбеде үзіліс болар еді: { $year } жыл жоқ.
calendar-err-other = Күнтізбені пайдалану мүмкін емес: { $detail }.
console-map-title = { $receipt } өтінішінің орны
console-photos = Фотосуреттер
console-photo = { $number }-фото

## Analytics
analytics-bad-area = «{ $value }» аумақ емес: осы қаланың city, district:КОД немесе quadrant:КОД деп жазыңыз.
analytics-bad-group = «{ $value }» құқық бұзушылық тобы емес.
analytics-bad-date = «{ $value }» күн емес: ЖЖЖЖ-АА-КК түрінде жазыңыз.
analytics-bad-window = { $value } кезеңі бос немесе он жылдан ұзақ.
analytics-bad-number = «{ $value }» рұқсат етілген аралықтағы сан емес.
analytics-too-few = Іріктеуде { $value } оқиға бар: кемінде екеуі керек.
analytics-title = Талдау
analytics-nav = Талдау
analytics-whole-city = Бүкіл қала
analytics-area = Аумақ
analytics-group = Құқық бұзушылық тобы
analytics-all-groups = Барлық топтар
analytics-n-events = Іріктеуде { $count } оқиға бар.
analytics-synthetic-label = Синтетикалық деректер.
analytics-synthetic = Мұндағы { $count } оқиға — нақты құқық бұзушылық емес, синтетикалық демо деректер.
analytics-an-offence = құқық бұзушылықтан
analytics-finding-near = { $what } кейін { $distance } м және { $days } күн ішінде тағы біреуінің болу ықтималдығы кездейсоқтан { $percent } % жоғары.
analytics-finding-repeat = { $what } кейін сол жерде { $days } күн ішінде тағы біреуінің болу ықтималдығы кездейсоқтан { $percent } % жоғары.
analytics-finding-none = Қайталанатын немесе жақын қайталанатын заңдылық байқалмады (p ≤ 0,05 және кездейсоқтан кемінде 20 % жоғары).
analytics-too-few-page = Жақын қайталану кестесі үшін оқиғалар тым аз.
analytics-knox-title = Жақын қайталанулар
analytics-knox-desc = Нокс коэффициенттері: әр қашықтық пен уақыт аралығындағы оқиға жұптарының байқалған саны күндерді 99 рет кездейсоқ араластырудың орташасына бөлінген. 1-ден жоғары — жұптар кездейсоқтан көп; белгіленген ұяшықтар p ≤ 0,05 деңгейінде мәнді.
analytics-knox-help = Оқиға жұптары арақашықтығы (манхэттендік) және арасындағы күндер бойынша саналады, Рэтклиффтің Near Repeat калькуляторындағыдай; кездейсоқтық не беретінін көру үшін күндер 99 рет араластырылады.
analytics-knox-legend = Нокс коэффициенті
analytics-significant = мәнді (p ≤ 0,05)
analytics-no-pairs = жұптар күтілмейді
analytics-distance = Қашықтық
analytics-time = Уақыт аралығы
analytics-same-place = Сол орын
analytics-beyond-m = { $distance } м-ден артық
analytics-days-band = { $from }–{ $to } күн
analytics-beyond-days = { $days } күннен артық
analytics-hotspots-title = Ыстық және суық нүктелер
analytics-hotspots-desc = Аумақ ішіндегі әр тор ұяшығының Getis–Ord Gi* кластары, z-бағалары бойынша, жалған ашылулар үлесі бақыланған (ArcGIS-тегідей); квадрат шекаралары сызылған.
analytics-hotspots-help = Ыстық нүкте — көршілерімен бірге кездейсоқтықтан көп оқиға болған ұяшық; сұр ұяшықтар мәнді емес.
analytics-gi-legend = FDR бақылауымен Gi*
analytics-hot-99 = Ыстық нүкте, 99 %
analytics-hot-95 = Ыстық нүкте, 95 %
analytics-hot-90 = Ыстық нүкте, 90 %
analytics-not-significant = Мәнді емес
analytics-cold-90 = Суық нүкте, 90 %
analytics-cold-95 = Суық нүкте, 95 %
analytics-cold-99 = Суық нүкте, 99 %
analytics-density-title = Оқиғалар тығыздығы ({ $bandwidth } м ядро)
analytics-density-desc = Аумақ ішіндегі әр ұяшық ортасындағы шаршы километрге шаққандағы оқиғалардың гаусс ядролық тығыздығы.
analytics-density-legend = км²-ге оқиғалар
analytics-unit-m = м
analytics-unit-km = км
analytics-when = Қашан
analytics-week-title = Апта күні және сағат
analytics-week-desc = Жергілікті уақыт бойынша апта күндері мен тәулік сағаттарындағы оқиғалар; тек күні белгілілері бөлек бағанда.
analytics-hour = Сағат
analytics-hour-unknown = Сағаты белгісіз
analytics-events = Оқиғалар
analytics-trend-title = Ай сайын
analytics-trend-desc = Кезеңнің әр айындағы оқиғалар бір жыл бұрынғы сол аймен қатар.
analytics-this-year = Осы кезең
analytics-year-before = Бір жыл бұрын
analytics-bad-source = «{ $value }» дереккөз емес: incidents немесе appeals деп жазыңыз.
analytics-bad-category = «{ $value }» осы қаланың өтініш санаты емес.
analytics-source = Оқиғалар
analytics-source-incidents = Құқық бұзушылықтар (оқиғалар)
analytics-source-appeals = Тұрғындардың өтініштері
analytics-category = Өтініш санаты (өтініштер үшін)
analytics-all-categories = Барлық санаттар
