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
