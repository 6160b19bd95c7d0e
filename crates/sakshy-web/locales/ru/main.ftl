app-title = Сақшы — сервисная модель полиции
index-intro = Квадранты, участковые инспекторы и пункты полиции города { $city }.
index-locate = Найти участкового по своему адресу
index-lat = Широта
index-lon = Долгота
index-submit = Найти
index-api = Открытый API
index-illustrative = Демонстрационный город: границы и данные приведены для примера.
error-missing-field = Поле «{ $field }» обязательно.
error-not-a-number = Поле «{ $field }» должно быть числом, получено «{ $value }».
error-out-of-range = Поле «{ $field }» должно быть от { $min } до { $max }, получено { $value }.
error-outside-quadrants = Эта точка не входит ни в один квадрант. Ближайший квадрант — { $quadrant }, в { $distance } м.
error-no-quadrants = Эта точка не входит ни в один квадрант, а квадранты ещё не загружены.
error-not-found = { $what }: не найдено.
error-no-city = Город ещё не загружен: сначала импортируйте территории.
error-internal = Внутренняя ошибка. Повторите попытку позже.
error-bad-query = Неверные параметры запроса: { $detail }
intake-divert = Это нельзя ставить в очередь: звоните прямо сейчас { $numbers }. Обращение не зарегистрировано.
intake-unknown-category = Категории «{ $value }» нет.
intake-empty-description = Опишите проблему.
intake-description-too-long = В описании { $chars } знаков; допускается не более { $max }.
intake-contact-required = Для этой категории нужны имя и телефон или электронная почта: анонимные обращения рассматриваются, только если сообщают о преступлении.
intake-consent-required = Если вы указываете контакты, нужно согласие на обработку персональных данных.
intake-outside-city = Эта точка за пределами города. Ближайший квадрант — { $quadrant }, в { $distance } м.
intake-unknown-point = Пункта полиции «{ $value }» нет.
intake-empty-address = Адрес пуст.
intake-no-routing = Категории обращений ещё не загружены.
intake-bad-body = Тело запроса неверно: { $detail }
intake-idempotency-conflict = Этот Idempotency-Key уже использован для другого запроса.
error-tracking-not-found = Обращение с таким кодом отслеживания не найдено.
staff-unauthorized = Нужен вход: передайте API-токен в заголовке «Authorization: Bearer …».
staff-forbidden-role = Роль «{ $role }» не может: { $what }.
staff-forbidden-scope = Это обращение вне вашей зоны ({ $scope }).
staff-appeal-not-found = Обращение { $receipt } не найдено.
workflow-forbidden = { $actor } не может выполнить «{ $action }» с этим обращением.
workflow-no-task = У обращения нет задачи органа { $agency }.
workflow-invalid-transition = Действие «{ $action }» невозможно из состояния «{ $state }».
workflow-missing-text = Нужно указать: { $what }.
workflow-bad-extension = Новый срок { $due } должен быть позже { $current } и не позднее { $limit } (два месяца с регистрации).
workflow-bad-redirect = Нельзя перенаправить в { $agency }: это тот же орган или у него уже есть открытая задача.
workflow-reopen-over = Срок для несогласия с ответом истёк { $date }.
feedback-not-answered = Оценить можно только после ответа.
feedback-bad-rating = Оценка — целое число от 1 до 5.
feedback-too-long = Комментарий слишком длинный: не более { $max } знаков.
notify-subject = Обращение { $receipt }: { $kind ->
    [registered] зарегистрировано
    [redirected] перенаправлено в другой орган
    [extended] срок продлён
    [answered] дан ответ
    [reopened] открыто повторно
    [escalated] срок истёк
   *[closed] закрыто
    }
notify-body = Обращение { $receipt }. Состояние: { $state }. Срок ответа: { $due }.
notify-comment = Комментарий: { $comment }
notify-footer = Письмо отправлено автоматически; не отвечайте на него. Следите за обращением по коду отслеживания.
workflow-not-overdue = Срок задачи не истёк, или о нём уже сообщено.
admin-invalid-file = В файле ошибок: { $chars }; ничего не изменено.
photo-not-image = Фото { $value } — не изображение JPEG, PNG или WebP.
photo-too-large = Фото { $value } слишком большое.
photo-too-many = Не более { $max } фото.

## Import problems (admin API): the place in the file, then one message per kind of problem (src/problems.rs).
import-at-file = файл
import-at-feature = объект № { $index }
import-at-feature-code = объект № { $index } ({ $code })
import-at-line = строка { $line }
import-at-line-column = строка { $line }, столбец «{ $column }»
import-json = { $line ->
    [0] Файл не является корректным JSON.
   *[other] Файл не является корректным JSON: ошибка в строке { $line }, символ { $column }.
    }
import-not-feature-collection = Файл должен быть GeoJSON FeatureCollection с массивом «features».
import-not-feature = Объект должен быть GeoJSON Feature с объектом «properties».
import-csv-field-count = В строке { $found ->
    [one] { $found } значение
    [few] { $found } значения
   *[many] { $found } значений
    }, а в заголовке { $expected ->
    [one] { $expected } столбец
    [few] { $expected } столбца
   *[many] { $expected } столбцов
    }.
import-csv-unreadable = Не удаётся прочитать CSV-файл.
import-missing = Поле «{ $field }» обязательно.
import-missing-column = Обязателен столбец «{ $column }».
import-not-text = Поле «{ $field }» должно быть строкой.
import-not-boolean = Поле «{ $field }» должно быть true или false.
import-not-count = Поле «{ $field }» должно быть целым неотрицательным числом.
import-not-list = Поле «{ $field }» должно быть списком строк.
import-number-out-of-range = Поле «{ $field }» должно быть числом от { $min } до { $max }.
import-working-days-out-of-range = Поле «{ $field }» должно быть целым числом рабочих дней от { $min } до { $max }.
import-not-email = Значение поля «{ $field }» не является адресом электронной почты.
import-unknown-time-zone = Поле «{ $field }»: «{ $value }» — не часовой пояс IANA (например, Asia/Almaty).
import-unknown-name = Недопустимое значение «{ $value }» в поле «{ $field }»; допустимые значения: { $expected }.
import-unknown-lang = В поле «{ $field }» неизвестный язык «{ $value }»: допустимы kk, ru или en.
import-code-empty = Код в поле «{ $field }» пуст.
import-code-too-long = Код «{ $value }» в поле «{ $field }» длиннее 64 символов.
import-code-bad-char = Код «{ $value }» в поле «{ $field }» содержит символ «{ $char }»; допустимы только A–Z, a–z, 0–9, «-», «_» и «.».
import-hours-empty = Часы работы в поле «{ $field }» не указаны.
import-hours-no-times = Поле «{ $field }»: в правиле «{ $rule }» нет интервала времени (например, «Mo-Fr 09:00-18:00»).
import-hours-bad-day = Поле «{ $field }»: «{ $value }» — не день недели; используйте Mo, Tu, We, Th, Fr, Sa, Su.
import-hours-bad-range = Поле «{ $field }»: «{ $value }» — не интервал времени; пишите ЧЧ:ММ-ЧЧ:ММ (например, 09:00-18:00).
import-hours-backwards = Поле «{ $field }»: интервал «{ $value }» заканчивается раньше, чем начинается.
import-hours-overlap = Поле «{ $field }»: { $day ->
    [Mo] в понедельник
    [Tu] во вторник
    [We] в среду
    [Th] в четверг
    [Fr] в пятницу
    [Sa] в субботу
   *[Su] в воскресенье
    } пересекаются интервалы { $first } и { $second }.
import-phone = Поле «{ $field }»: «{ $value }» — не номер телефона; используйте +, цифры, пробелы, дефисы и скобки, от 3 до 15 цифр.
import-empty-text = Поле «{ $field }»: пуст текст на { $lang ->
    [kk] казахском
    [ru] русском
   *[en] английском
    } языке.
import-territory-missing-parent = { $level ->
    [district] Для района не указан город
   *[quadrant] Для квадранта не указан район
    }, к которому он относится (поле «parent»).
import-territory-city-with-parent = У города не может быть родительской территории: оставьте поле «parent» пустым.
import-territory-pilot-not-quadrant = Пилотным («pilot») может быть только квадрант, а не { $level ->
    [city] город
   *[district] район
    }.
import-territory-empty-geometry = Геометрия пуста.
import-geometry-missing = У объекта нет геометрии.
import-geometry-not-object = Геометрия не является объектом GeoJSON с полем «type».
import-geometry-wrong-type = Тип геометрии — { $found }, а должен быть { $expected ->
    [point] Point
   *[polygonal] Polygon или MultiPolygon
    }.
import-geometry-bad-nesting = Координаты вложены не так, как требует { $type }.
import-geometry-bad-position = { $at ->
    [point] Координаты точки
   *[ring] Координаты точки № { $index } кольца № { $ring } полигона № { $polygon }
    } не заданы числами [долгота, широта].
import-geometry-out-of-range = { $at ->
    [point] Координаты точки
   *[ring] Координаты точки № { $index } кольца № { $ring } полигона № { $polygon }
    } вне допустимого диапазона: долгота { $lon } должна быть в [-180, 180], а широта { $lat } — в [-90, 90] (не перепутаны ли они местами?).
import-geometry-ring-not-closed = Кольцо № { $ring } полигона № { $polygon } не замкнуто: последняя точка должна повторять первую.
import-geometry-ring-too-short = В кольце № { $ring } полигона № { $polygon } всего { $points ->
    [one] { $points } точка
    [few] { $points } точки
   *[many] { $points } точек
    }; замкнутому кольцу нужно не меньше 4.
import-polygon-too-few-distinct = В кольце № { $ring } полигона № { $polygon } меньше 3 различных точек.
import-polygon-self-intersection = Кольцо № { $ring } полигона № { $polygon } самопересекается.
import-polygon-hole-outside = Кольцо № { $ring } полигона № { $polygon } (отверстие) лежит не внутри внешнего кольца.
import-polygon-rings-touch = Кольца № { $first } и № { $second } полигона № { $polygon } касаются по линии.
import-polygon-rings-overlap = Кольца № { $first } и № { $second } полигона № { $polygon } перекрываются.
import-polygon-parts-overlap = Полигоны № { $first } и № { $second } перекрываются.
import-polygon-parts-touch = Полигоны № { $first } и № { $second } касаются по линии.
import-duplicate = Код { $code } встречается дважды (впервые: { $first }).
import-no-city = Нет города: в файле должен быть один объект с level «city» (в базе города ещё нет).
import-second-city = Второй город: файл описывает только один город.
import-other-city = Файл описывает город { $file }, а в этой базе хранится город { $stored }.
import-unknown-parent = Родительская территория { $parent } — неизвестный { $level ->
    [city] город
   *[district] район
    } (его нет ни в этом файле, ни в базе).
import-outside-parent = Территория выходит за границу { $parent } на { $outside } м² (допуск { $limit } м²).{ $swapped ->
    [true] {" "}Если поменять местами долготу и широту, она попадёт в { $parent }: в GeoJSON координаты записываются как [долгота, широта].
   *[other] {""}
    }
import-overlap = Территория перекрывается с { $other } на { $overlap } м² (допуск { $limit } м²).
import-gap = { $gap } м² территории не покрыты ни одним { $level ->
    [district] районом
   *[quadrant] квадрантом
    } (пробел).
import-unknown-quadrant = Неизвестный квадрант: { $code }.
import-unknown-point = Неизвестный пункт полиции: { $code }.
import-routing-unknown-agency = Категория «{ $category }»: неизвестный орган { $agency } ({ $role ->
    [primary] основной
    [joint] совместный
   *[referral] для переадресации
    }).
import-routing-emergency-without-line = Категория «{ $category }» экстренная, поэтому её основным органом должна быть экстренная линия (102, 112, 103).
import-routing-primary-also-joint = Категория «{ $category }»: основной орган указан и среди совместных.
import-routing-bad-override = Правило маршрутизации в районе { $district } (категория «{ $category }», вместо { $replaces }): { $what ->
    [category] неизвестная категория
    [district] неизвестный район
   *[agency] неизвестный орган
    } { $code }.
import-routing-duplicate-override = Правило маршрутизации в районе { $district } (категория «{ $category }», вместо { $replaces }) задано дважды.
open311-api-key-required = Нужен api_key: ключи выдаёт администратор Sakshy в городе.
open311-api-key-invalid = Этот api_key недействителен или отозван.
open311-unavailable = Сервис сейчас не может ответить; повторите попытку позже.
open311-bad-datetime = { $field }: «{ $value }» — не дата и время W3C, например 2026-01-01T00:00:00Z.
open311-dates-together = Укажите и start_date, и end_date или ни одного из них.
open311-end-before-start = end_date раньше start_date.
open311-span-too-long = Между start_date и end_date может быть не более { $max } дн.
open311-bad-media-url = media_url «{ $value }» — не полный адрес http или https длиной не более { $max } знаков.
open311-too-many-media-urls = Не более { $max } значений media_url.
open311-too-large = Запрос слишком большой: не более { $max } МБ.
open311-bad-body = Не удаётся прочитать тело запроса: { $detail }
open311-unexpected-file = Неожиданная файловая часть «{ $field }»: фото отправляйте как «media».
open311-update-register = Обращение зарегистрировано и передано: { $agency }.
open311-update-accept = { $agency }: обращение принято.
open311-update-start = { $agency }: начата работа по обращению.
open311-update-extend = { $agency }: срок продлён.
open311-update-answer = { $agency }: дан ответ.
open311-update-redirect = { $agency }: обращение передано в другой орган.
open311-update-reject = { $agency }: обращение отклонено.
open311-update-reopen = Заявитель не согласился с ответом; обращение открыто повторно.
open311-update-close = Обращение закрыто.

## Resident portal
pages-product = Сақшы
pages-skip = Перейти к основному содержанию
pages-language = Язык
pages-footer = В экстренном случае звоните: 102 — полиция, 112 — единая служба спасения, 103 — скорая медицинская помощь.
portal-nav = Разделы для жителей
portal-nav-find = Мой участковый инспектор
portal-nav-appeal = Подать обращение
portal-nav-track = Отследить обращение
portal-unavailable = Сервис ещё не готов
portal-back-home = Вернуться на главную
portal-not-found = Страница не найдена
portal-find-title = Мой участковый инспектор
portal-find-by-address = Поиск по адресу
portal-address = Улица или микрорайон
portal-search = Найти
portal-find-by-map = Выбрать на карте
portal-map-hint = Нажмите на карте место, где вы живёте, или выберите квадрант.
portal-find-by-coordinates = Поиск по координатам
portal-find-by-location = По моему местоположению
portal-use-location = Определить моё местоположение
portal-location-failed = Не удалось определить ваше местоположение. Введите адрес или выберите место на карте.
portal-results = Результаты поиска
portal-no-results = По запросу «{ $value }» ничего не найдено. Попробуйте написать название улицы или микрорайона иначе.
portal-kind-street = улица
portal-kind-microdistrict = микрорайон
portal-bad-coordinates = Введите широту и долготу числами (например, 42.29871 и 69.61030).
portal-quadrant-title = Квадрант { $quadrant }
portal-district = Район
portal-pilot = Пилотный квадрант
portal-inspectors = Участковый инспектор полиции
portal-no-inspector = Участковый инспектор в этот квадрант ещё не назначен.
portal-rank = Звание
portal-phone = Телефон поста
portal-reception = Часы приёма
portal-points = Пункты полиции
portal-no-points = В этом квадранте нет пункта полиции.
portal-hours = Часы работы
portal-open-now = Сейчас открыт
portal-closed-now = Сейчас закрыт
portal-resolved = Решённые обращения
portal-resolved-30 = За последние 30 дней: { $count }
portal-resolved-90 = За последние 90 дней: { $count }
portal-quadrant-map = Карта квадранта
portal-file-here = Подать обращение по этому квадранту
portal-quadrant-not-found = Квадранта с кодом «{ $code }» нет.
portal-map-title = Квадранты города { $city }
portal-map-legend = Условные обозначения
portal-map-quadrant = Граница квадранта
portal-map-pilot = Пилотный квадрант
portal-map-point = Пункт полиции
portal-map-appeal = Обращение
portal-map-scale = { $distance } м
portal-appeal-title = Подать обращение
portal-emergency-title = Экстренный случай? Звоните сразу
portal-emergency-text = Если есть угроза жизни, здоровью или имуществу, не подавайте обращение — звоните сразу. По этим категориям обращения не принимаются:
portal-call = Звонить: { $numbers }
portal-category = Категория
portal-category-choose = — выберите категорию —
portal-description = Описание проблемы
portal-location = Место
portal-location-how = Укажите место одним способом: адрес, точка на карте или пункт полиции.
portal-address-field = Адрес
portal-point = Пункт полиции
portal-point-none = — не выбран —
portal-photo = Фото (необязательно, JPEG или PNG)
portal-public-title = Что станет публичным и что кому отправляется
portal-public-what = Публичны: категория, примерное место (с точностью около 100 м) и ход рассмотрения — их может увидеть любой в открытых данных.
portal-public-who = Описание и фото направляются участковому инспектору полиции и ответственному государственному органу по категории; они не публикуются.
portal-public-contact = Ваше имя, телефон и электронная почта не публикуются: их видят только сотрудники, рассматривающие обращение, и каждый просмотр записывается в журнал.
portal-public-photo = Из фото удаляются данные о местоположении и устройстве.
portal-contact = Контактные данные (необязательно)
portal-name = Имя
portal-phone-field = Телефон
portal-email = Электронная почта
portal-consent = Я согласен(-на) на обработку моих персональных данных для рассмотрения этого обращения (Закон Республики Казахстан «О персональных данных и их защите»).
portal-continue = Продолжить
portal-submit = Отправить обращение
portal-edit = Изменить
portal-confirm-title = Проверьте и отправьте
portal-duplicates = Рядом уже есть похожие обращения
portal-duplicates-text = Возможно, об этой проблеме уже сообщили. Сохраните номер существующего обращения или всё равно отправьте своё.
portal-duplicate-item = { $receipt } — { $date }, { $distance } м
portal-no-duplicates = Похожих открытых обращений рядом нет.
portal-form-errors = В форме есть ошибки: они указаны рядом с полями.
portal-csrf = Срок действия формы истёк или она отправлена с другого сайта. Обновите страницу и попробуйте ещё раз.
portal-choose-location = Укажите адрес, точку на карте или пункт полиции.
portal-bad-phone = Введите номер телефона в виде +7 700 000 00 00.
portal-bad-email = Это не адрес электронной почты.
portal-photo-error = Не удалось прочитать фото: загрузите файл JPEG или PNG (не больше 8 МБ).
portal-receipt-title = Обращение принято
portal-receipt-number = Регистрационный номер
portal-due = Срок ответа
portal-sent-to = Куда направлено
portal-tracking-link = Ссылка для отслеживания
portal-tracking-keep = Сохраните эту ссылку: только по ней можно узнать ход рассмотрения. Показать её ещё раз мы не сможем.
portal-track-title = Отслеживание обращения
portal-track-code = Код отслеживания
portal-track-help = Введите код отслеживания или ссылку, полученные после подачи обращения.
portal-track-open = Открыть
portal-track-not-found = Обращения с таким кодом отслеживания нет.
portal-state = Состояние
portal-registered-on = Дата регистрации
portal-history = Ход рассмотрения
portal-state-registered = Зарегистрировано
portal-state-in_progress = На рассмотрении
portal-state-extended = Срок продлён
portal-state-answered = Дан ответ
portal-state-reopened = Открыто повторно
portal-state-rejected = Отклонено
portal-state-closed = Закрыто
portal-rate-title = Оцените ответ
portal-rating = Оценка (от 1 до 5)
portal-comment = Комментарий (необязательно)
portal-rate = Оценить
portal-rated = Спасибо за оценку.
portal-reopen-title = Я не согласен(-на) с ответом
portal-reason = Причина
portal-reopen = Открыть обращение повторно
portal-close-title = Ответ меня устраивает
portal-close = Закрыть обращение
portal-done = Сохранено.
portal-rank-sergeant = сержант
portal-rank-senior_sergeant = старший сержант
portal-rank-sergeant_major = старшина
portal-rank-lieutenant = лейтенант
portal-rank-senior_lieutenant = старший лейтенант
portal-rank-captain = капитан
portal-rank-major = майор
portal-rank-lieutenant_colonel = подполковник
portal-rank-colonel = полковник
portal-day-mo = Пн
portal-day-tu = Вт
portal-day-we = Ср
portal-day-th = Чт
portal-day-fr = Пт
portal-day-sa = Сб
portal-day-su = Вс
portal-hours-closed = закрыто
portal-hours-none = не указаны
portal-address-of-point = Адрес
portal-nearest-points = Ближайшие пункты полиции
portal-walk = { $distance } м, пешком около { $count } мин
portal-category-required = Выберите категорию.
portal-confirm-category = Категория
portal-confirm-location = Место
portal-confirm-contact = Контакты
portal-anonymous = не указаны (анонимное обращение)
portal-photo-hint = Фото можно добавить на этом шаге: не больше 3 фото, каждое до 8 МБ.
portal-map-pick = Чтобы выбрать точку, нажмите на карту (нужен JavaScript). Без JavaScript укажите адрес или пункт полиции.
portal-or = или
portal-registered = Дата регистрации

## API docs
apidocs-title = Документация API
apidocs-intro = Все методы этого сервера по его описанию OpenAPI. Всё на этой странице отдаёт сам Sakshy; из интернета ничего не загружается.
apidocs-openapi = Описание OpenAPI 3.1 (JSON)
apidocs-open311 = Open311 GeoReport v2: описание сервиса
apidocs-contents = Методы
apidocs-auth = Нужен API-токен сотрудника: Authorization: Bearer …
apidocs-parameters = Параметры
apidocs-responses = Ответы
apidocs-name = Имя
apidocs-in = Где
apidocs-required = Обязателен
apidocs-description = Описание
apidocs-status = Статус
apidocs-yes = да
apidocs-no = нет

## Accounts and login
auth-login-title = Вход для сотрудников
auth-login = Логин
auth-password = Пароль
auth-sign-in = Войти
auth-sign-out = Выйти
auth-wrong = Неверный логин или пароль.
auth-locked = Слишком много неверных паролей. Вход в эту учётную запись заблокирован на { $min } минут; попробуйте позже.
auth-throttled = Слишком много неудачных попыток входа с этого адреса. Повторите через { $min } минут.
auth-forbidden = Доступ запрещён
auth-csrf-refused = Срок действия формы истёк или она отправлена не с этого сайта. Откройте страницу заново и повторите.
auth-signed-in-as = Вы вошли: { $what }
console-nav = Рабочее место сотрудника
console-queue-title = Очередь обращений
console-filter-state = Состояние
console-filter-category = Категория
console-filter-quadrant = Квадрант
console-filter-overdue = Только просроченные
console-filter-text = Номер или текст
console-filter-apply = Применить
console-any = Любое
console-count-shown = Показано: { $numbers }
console-count-overdue = Просрочено: { $numbers }
console-col-receipt = Номер
console-col-due = Срок
console-overdue = просрочено
console-due-soon = срок скоро
console-next-page = Следующая страница
console-empty = Обращений не найдено.
console-forbidden-role = Ваша роль не позволяет { $what }.
console-forbidden-scope = Это обращение вне вашей территории ({ $scope }).
console-appeal-title = Обращение { $receipt }
console-description = Описание
console-address = Адрес
console-contact = Контактные данные заявителя
console-contact-name = Имя
console-contact-phone = Телефон
console-contact-email = Эл. почта
console-contact-none = Заявитель не оставил контактных данных.
console-contact-masked = Скрыто: ваша роль не работает с этим обращением.
console-contact-audited = Этот просмотр записан в журнал аудита.
console-tasks = Задачи
console-agency = Орган
console-assignee = Назначенный сотрудник
console-public-history = Публичная история
console-internal-notes = Полная история с действиями сотрудников (только для сотрудников)
console-actions = Действия
console-no-actions = Для вашей роли в текущем состоянии обращения действий нет.
console-action-accept = Принять
console-action-start = Начать работу
console-action-answer = Ответить заявителю
console-action-extend = Продлить срок
console-action-redirect = Перенаправить в другой орган
console-action-reject = Отклонить
console-action-assign = Назначить сотрудника
console-action-close = Закрыть
console-answer-text = Ответ
console-reason = Причина
console-new-due = Новый срок
console-to-agency = Орган
console-officer = Сотрудник
console-counts = По состояниям
console-task-accepted = Принято
console-task-redirected = Перенаправлено
console-event-register = зарегистрировано
console-event-reopen = возобновлено заявителем
console-event-escalate = передано руководителю как просроченное
console-notes = Внутренние заметки (только для сотрудников)
console-notes-none = Заметок пока нет.
console-note-text = Заметка
console-note-add = Добавить заметку
console-done = Сохранено.

## Audit log
admin-bad-time = «{ $field }» должно быть временем в формате RFC 3339, например 2026-12-01T09:00:00Z.
admin-bad-cursor = «after» должно быть значением next_page предыдущей страницы.
audit-title = Журнал аудита
audit-intro = Кто видел персональные данные жителей и кто что изменил, когда и откуда, сначала новые. Просмотр этого журнала тоже записывается в него.
audit-from = С (дата)
audit-to = По (дата включительно)
audit-actor = Кто
audit-action = Что
audit-object = С чем
audit-at = Когда
audit-address = С адреса
audit-export = Выгрузить в CSV (с этими фильтрами)
audit-empty = Нет подходящих событий.
audit-bad-date = «{ $field }» должно быть датой, например 2026-12-01.

## Reception and overview
console-nav-reception = Журнал приёма
reception-title = Журнал приёма пункта полиции
reception-new-visit = Записать посетителя
reception-point = Пункт полиции
reception-category = Проблема посетителя (категория)
reception-description = Что сообщает посетитель
reception-place = Где проблема
reception-place-point = Там, где пункт полиции (его квадрат)
reception-place-address = По адресу
reception-address = Адрес (улица или микрорайон, дом)
reception-contact = Контакты посетителя (по желанию)
reception-consent = Посетитель согласен на обработку его персональных данных для рассмотрения обращения (спросил и отметил сотрудник).
reception-file = Подать обращение от его имени
reception-today = Посетители сегодня
reception-none-today = Сегодня посетителей не записано.
reception-time = Время
reception-no-points = В вашей зоне нет пункта полиции: журнал приёма вести негде.
reception-point-required = Выберите один из ваших пунктов полиции.
reception-address-required = Укажите адрес или выберите место пункта полиции.
reception-consent-required = Контакты сохраняются только с согласия посетителя: спросите его и отметьте согласие или оставьте поля контактов пустыми.
reception-filed-title = Обращение посетителя подано
reception-filed-hand = Распечатайте эту страницу или перепишите для посетителя номер обращения и ссылку для отслеживания: ссылку нельзя будет показать снова.
reception-back = Вернуться к журналу приёма
overview-title = Квадрат { $code }
overview-not-found = Такого квадрата нет.
overview-open = Открыто
overview-overdue = Просрочено
overview-answered = Дан ответ
overview-queue = Открыть очередь этого квадрата
overview-categories = Обращения за последние 30 дней по категориям
overview-count = Обращений
overview-no-appeals = За последние 30 дней обращений нет.
overview-inspectors = Участковые инспекторы
overview-points = Пункты полиции
overview-none = Нет.

## Administration pages
admin-title = Администрирование
admin-registry = Реестр
admin-users = Учётные записи
admin-holidays = Производственный календарь
admin-load = Загрузить файл
admin-load-intro = Выберите, что содержит файл, и сам файл. Прежде чем что-либо сохранится, вы увидите, что изменится.
admin-kind = Что содержит файл
admin-file = Файл
admin-preview = Проверить и показать изменения
admin-kind-territories = Территории (GeoJSON)
admin-kind-points-csv = Полицейские пункты (CSV)
admin-kind-points-geojson = Полицейские пункты (GeoJSON)
admin-kind-officers = Сотрудники (CSV)
admin-kind-agencies = Ведомства (CSV)
admin-kind-categories = Категории обращений (CSV)
admin-kind-routing = Маршрутизация по районам (CSV)
admin-categories = Категории обращений
admin-agencies = Ведомства
admin-points = Полицейские пункты
admin-officers = Сотрудники
admin-changes = Последние изменения
admin-none = Пока нет.
admin-col-code = Код
admin-col-name = Название
admin-col-agency = Ответственное ведомство
admin-col-deadline = Срок
admin-col-quadrants = Квадраты
admin-col-what = Что
admin-col-change = Изменение
admin-col-where = Где
admin-col-problem = Ошибка
admin-col-login = Логин
admin-col-role = Роль
admin-col-scope = Зона
admin-col-status = Состояние
admin-col-actions = Действия
admin-col-date = Дата
admin-col-kind = Вид
admin-working-days = { $count ->
    [one] { $count } рабочий день
    [few] { $count } рабочих дня
   *[other] { $count } рабочих дней
}
admin-bad-form = Не удалось прочитать форму. Попробуйте ещё раз.
admin-no-file = Выберите файл для загрузки.
admin-preview-title = Что изменит файл
admin-problems = Ошибки в файле
admin-problems-count = { $count ->
    [one] В файле { $count } ошибка; ничего не изменено.
    [few] В файле { $count } ошибки; ничего не изменено.
   *[other] В файле { $count } ошибок; ничего не изменено.
}
admin-what-changes = Что изменится
admin-nothing-changes = Файл совпадает с сохранённым: ничего не изменится.
admin-city-changes = Изменятся настройки самого города (название, часовой пояс или центр).
admin-added = Добавится
admin-changed = Изменится
admin-removed = Удалится
admin-unchanged = Без изменений
admin-warnings = Предупреждения
admin-apply = Применить изменения
admin-cancel = Отмена
admin-back = Вернуться к реестру
admin-imported = Готово: добавлено { $added }, изменено { $changed }, без изменений { $unchanged }.
admin-disabled = Отключена
admin-active = Действует
admin-enable = Включить
admin-disable = Отключить
admin-reset = Новый пароль
admin-change-role = Изменить роль и зону
admin-add-user = Добавить учётную запись
admin-choose = Выберите…
admin-scope-help = Зона: city, district:КОД, quadrants:КОД;КОД или agency:КОД.
admin-bad-login = Логин — от 3 до 64 строчных латинских букв, цифр, точек, дефисов или подчёркиваний.
admin-name-required = Укажите имя, которое увидят коллеги.
admin-role-required = Выберите роль.
admin-bad-scope = «{ $what }» — не зона: укажите city, district:КОД, quadrants:КОД;КОД или agency:КОД.
admin-login-taken = Логин { $what } уже занят.
admin-not-yourself = Нельзя отключить свою учётную запись или изменить свою роль.
admin-no-user = Учётной записи { $what } нет.
admin-password-title = Новый пароль
admin-password-for = Пароль для { $what }:
admin-password-once = Передайте его лично. Он показан только сейчас и не хранится в читаемом виде; открытые сеансы учётной записи завершены.
admin-back-users = Вернуться к учётным записям
admin-holidays-intro = Праздничные дни, перенесённые выходные и рабочие выходные — по ним считаются сроки в рабочих днях. Загрузите файл года, когда правительство утвердит или изменит календарь.
admin-years = Годы
admin-holidays-preview = Файл на { $what } год
admin-holidays-load = Загрузить год
admin-holidays-format = CSV со столбцами date,kind,name_kk,name_ru,name_en; kind — holiday, day_off или working_day.
admin-year = Год
admin-bad-year = Укажите год от 2000 до 2099.
admin-day-holiday = Праздник
admin-day-off = Выходной (перенесённый)
admin-day-working = Рабочий день
role-administrator = Администратор
role-supervisor = Руководитель
role-district_inspector = Участковый инспектор
role-duty_officer = Дежурный полицейского пункта
role-agency_officer = Сотрудник ведомства-партнёра
role-analyst = Аналитик
role-read_only = Только просмотр
calendar-err-csv = Строка { $line }: строка не является корректной записью CSV.
calendar-err-column = Строка { $line }: в заголовке нет столбца { $column } (ожидается date,kind,name_kk,name_ru,name_en).
calendar-err-date = Строка { $line }, столбец date: «{ $value }» — не дата (пишите ГГГГ-ММ-ДД).
calendar-err-year = Строка { $line }, столбец date: { $date } не относится к { $year } году.
calendar-err-kind = Строка { $line }, столбец kind: «{ $value }» — неизвестный вид; используйте holiday, day_off или working_day.
calendar-err-working-weekday = Строка { $line }, столбец kind: { $date } — будний день; working_day — только для субботы или воскресенья.
calendar-err-off-weekend = Строка { $line }, столбец kind: { $date } — выходной; day_off — только для понедельника–пятницы.
calendar-err-duplicate = Строка { $line }, столбец date: { $date } уже указана в строке { $first }.
calendar-err-name = Строка { $line }, столбец { $column }: название пустое.
calendar-err-gap = В календаре был бы пропуск: нет { $year } года.
calendar-err-other = Календарь нельзя использовать: { $detail }.
console-map-title = Где находится место обращения { $receipt }
console-photos = Фотографии
console-photo = Фото { $number }

## Analytics
analytics-bad-area = «{ $value }» — не территория: укажите city, district:КОД или quadrant:КОД этого города.
analytics-bad-group = «{ $value }» — не группа правонарушений.
analytics-bad-date = «{ $value }» — не дата: пишите ГГГГ-ММ-ДД.
analytics-bad-window = Период { $value } пуст или длиннее десяти лет.
analytics-bad-number = «{ $value }» — не число из допустимого диапазона.
analytics-too-few = В выборке событий: { $value }; нужно не меньше двух.
analytics-title = Аналитика
analytics-nav = Аналитика
analytics-whole-city = Весь город
analytics-area = Территория
analytics-group = Группа правонарушений
analytics-all-groups = Все группы
analytics-n-events = { $count ->
    [one] В выборке { $count } происшествие.
    [few] В выборке { $count } происшествия.
   *[other] В выборке { $count } происшествий.
}
analytics-synthetic-label = Синтетические данные.
analytics-synthetic = { $count ->
    [one] { $count } происшествие здесь — синтетические демонстрационные данные, а не реальное правонарушение.
    [few] { $count } происшествия здесь — синтетические демонстрационные данные, а не реальные правонарушения.
   *[other] { $count } происшествий здесь — синтетические демонстрационные данные, а не реальные правонарушения.
}
analytics-an-offence = правонарушения
analytics-finding-near = В пределах { $distance } м и { $days } дней после { $what } вероятность нового на { $percent } % выше случайной.
analytics-finding-repeat = В том же месте в пределах { $days } дней после { $what } вероятность нового на { $percent } % выше случайной.
analytics-finding-none = Закономерности повторных и близких повторных происшествий не выявлено (p ≤ 0,05 и не меньше чем на 20 % выше случайного).
analytics-too-few-page = Слишком мало происшествий для таблицы близких повторов.
analytics-knox-title = Близкие повторы
analytics-knox-desc = Коэффициенты Нокса: наблюдаемое число пар происшествий на каждом расстоянии и интервале времени, делённое на среднее по 99 случайным перестановкам дат. Больше 1 — пар больше, чем по случайности; выделенные ячейки значимы при p ≤ 0,05.
analytics-knox-help = Пары происшествий считаются по расстоянию между ними (манхэттенскому) и числу дней между ними, как в калькуляторе Near Repeat Рэтклиффа; даты перемешиваются 99 раз, чтобы увидеть, что даёт случайность.
analytics-knox-legend = Коэффициент Нокса
analytics-significant = значимо (p ≤ 0,05)
analytics-no-pairs = пар не ожидается
analytics-distance = Расстояние
analytics-time = Интервал
analytics-same-place = То же место
analytics-beyond-m = больше { $distance } м
analytics-days-band = { $from }–{ $to } дн.
analytics-beyond-days = больше { $days } дн.
analytics-hotspots-title = Горячие и холодные точки
analytics-hotspots-desc = Классы Getis–Ord Gi* для каждой ячейки сетки внутри территории по z-оценкам с контролем доли ложных открытий (как в ArcGIS); границы квадратов обведены.
analytics-hotspots-help = Горячая точка — ячейка, где вместе с соседними происшествий больше, чем дала бы случайность; серые ячейки незначимы.
analytics-gi-legend = Gi* с контролем FDR
analytics-hot-99 = Горячая точка, 99 %
analytics-hot-95 = Горячая точка, 95 %
analytics-hot-90 = Горячая точка, 90 %
analytics-not-significant = Незначимо
analytics-cold-90 = Холодная точка, 90 %
analytics-cold-95 = Холодная точка, 95 %
analytics-cold-99 = Холодная точка, 99 %
analytics-density-title = Плотность происшествий (ядро { $bandwidth } м)
analytics-density-desc = Гауссова ядерная оценка плотности происшествий на квадратный километр в центре каждой ячейки внутри территории.
analytics-density-legend = Происшествий на км²
analytics-unit-m = м
analytics-unit-km = км
analytics-when = Когда
analytics-week-title = День недели и час
analytics-week-desc = Происшествия по дням недели и часам суток по местному времени; известные только по дате — в отдельном столбце.
analytics-hour = Час
analytics-hour-unknown = Час неизвестен
analytics-events = Происшествия
analytics-trend-title = По месяцам
analytics-trend-desc = Происшествия по месяцам периода рядом с тем же месяцем годом раньше.
analytics-this-year = Этот период
analytics-year-before = Годом раньше
analytics-bad-source = «{ $value }» — не источник: укажите incidents или appeals.
analytics-bad-category = «{ $value }» — не категория обращений этого города.
analytics-source = События
analytics-source-incidents = Правонарушения (происшествия)
analytics-source-appeals = Обращения жителей
analytics-category = Категория обращения (для обращений)
analytics-all-categories = Все категории

# Опросы (`survey_form.rs`, `survey_pages.rs`, `survey_text.rs`)
survey-nav = Опросы
survey-title = Опрос
survey-staff-title = Опросы
survey-not-found = Такого опроса нет.
survey-not-open = Этот опрос сейчас не принимает ответы.
survey-needs-invitation = Опрос только по приглашениям: откройте полученную ссылку.
survey-invitation-used = По этому приглашению уже ответили. Спасибо!
survey-invitation-unknown = Ссылка-приглашение недействительна для этого опроса.
survey-step = Страница { $page } из { $pages }
survey-privacy = Опрос анонимный: не пишите своё имя, телефон или адрес. Имена и номера в свободных ответах удаляются, прежде чем их кто-либо прочитает.
survey-synthetic-wave = Это демонстрационный опрос с вымышленными ответами.
survey-honeypot = Оставьте это поле пустым
survey-choose = — выберите —
survey-find-quadrant = Не знаете свой квадрат? Найдите по адресу
survey-location-help = Широта и долгота в градусах, например 42,30 69,61
survey-back = Назад
survey-next = Далее
survey-submit = Отправить ответы
survey-fix-answers = Исправьте отмеченные ниже ответы.
survey-thanks = Спасибо: ваши ответы записаны.
survey-next-respondent = Следующий респондент
survey-too-many = Из этой сети за последний час отправлено слишком много ответов. Попробуйте позже.
survey-kind-note = пояснение
survey-kind-single = один вариант
survey-kind-multiple = несколько вариантов
survey-kind-likert = шкала
survey-kind-yes-no = да / нет
survey-kind-integer = целое число
survey-kind-decimal = число
survey-kind-text = текст
survey-kind-quadrant = квадрат
survey-kind-location = местоположение
survey-problem-required = Нужен ответ.
survey-problem-unknown-item = В анкете нет такого вопроса.
survey-problem-note = Пояснение не требует ответа.
survey-problem-not-a-choice = «{ $value }» — не один из вариантов.
survey-problem-chosen-twice = «{ $value }» выбрано дважды.
survey-problem-not-integer = «{ $value }» — не целое число.
survey-problem-not-number = «{ $value }» — не число.
survey-problem-range = { $value } вне допустимого диапазона { $min } – { $max }.
survey-problem-too-long = Ответ длиннее { $chars } символов.
survey-problem-location = «{ $value }» — не местоположение: укажите широту и долготу, например 42.30 69.61.
survey-place-sheet = лист { $file }
survey-place-row = строка { $line }
survey-place-column = столбец { $column }
survey-place-item = вопрос { $code }
survey-place-line-column = строка { $line }, столбец { $column }
survey-problem-expr = условие не читается на символе { $at }: { $detail }
survey-problem-expr-function = неизвестная функция «{ $value }» (используйте not, selected, count-selected, string-length)
survey-problem-expr-string = текст в кавычках не закрыт
survey-problem-expr-empty = условие пустое
survey-problem-unreadable = Файл не читается ({ $detail }).
survey-problem-missing-sheet = В книге нет листа «{ $file }».
survey-problem-missing-column = В заголовке нет столбца «{ $column }».
survey-problem-duplicate-column = Столбец «{ $column }» встречается дважды.
survey-problem-unknown-language = Столбец «{ $column }» не называет известный язык: пишите, например, label::Kazakh (kk), label::Russian (ru), label::English (en).
survey-problem-missing = Здесь нужно значение.
survey-problem-missing-language = Нет текста на языке «{ $lang }».
survey-problem-unsupported-type = Тип вопроса «{ $type }» не поддерживается: используйте select_one, select_multiple, integer, decimal, text, note, geopoint или группы.
survey-problem-unbalanced-group = begin_group и end_group не совпадают.
survey-problem-not-boolean = «{ $value }» — не «да» и не «нет».
survey-problem-unsupported-constraint = Ограничение «{ $value }» не поддерживается: используйте «. >= N and . <= M» или «string-length(.) <= N».
survey-problem-bad-name = «{ $value }» — недопустимое имя: латинские буквы, цифры, _ и -, начиная с буквы.
survey-problem-duplicate-item = Имя вопроса «{ $code }» использовано дважды.
survey-problem-unknown-list = Списка вариантов «{ $code }» нет.
survey-problem-empty-list = Список вариантов «{ $code }» пуст.
survey-problem-short-scale = Шкале нужно не меньше двух вариантов; в списке «{ $code }» их { $found }.
survey-problem-duplicate-choice = Вариант «{ $value }» дважды встречается в списке «{ $code }».
survey-problem-not-earlier = Условие ссылается на «{ $code }», а это не предыдущий вопрос.
survey-problem-bad-bounds = Границы недопустимы: минимум не может превышать максимум.
survey-problem-duplicate-role = Роль «{ $role }» дана и «{ $first }», и «{ $second }».
survey-problem-role-kind = Роль «{ $role }» нельзя дать вопросу типа { $kind }.
survey-problem-unknown-role = «{ $value }» — не роль: используйте quadrant, location, age_band или sex.
survey-problem-duplicate-index = Индекс «{ $code }» определён дважды.
survey-problem-empty-index = В индексе «{ $code }» нет вопросов.
survey-problem-index-item = Индекс «{ $index }» называет «{ $code }», а это не вопрос.
survey-problem-index-scale = Индекс «{ $index }» использует «{ $code }», а это не шкала и не вопрос «да/нет».
survey-problem-index-twice = Индекс «{ $index }» дважды использует «{ $code }».
survey-problem-min-answered = Индекс «{ $index }»: min_answered должен быть от 1 до { $max }, а не { $value }.
survey-problem-index-inconsistent = Эта строка расходится с предыдущей строкой индекса «{ $index }».
survey-problem-field-count = В строке { $found } значений, а в заголовке { $expected }.
survey-problem-duplicate-submission = Анкета «{ $value }» встречается и в строке { $line }.
survey-problem-duplicate-submission-stored = Анкета «{ $value }» уже сохранена.
survey-problem-not-flag = «{ $value }» — не 0 и не 1.
survey-problem-no-rows = В файле нет заголовка и строк данных.
survey-problem-not-positive = «{ $value }» — не положительное число.
survey-problem-duplicate-margin = Этот район, возрастная группа и пол уже есть в строке { $line }.
survey-problem-no-item-columns = Ни один столбец файла не является вопросом этой анкеты.
survey-problem-same-item = Столбцы «{ $first }» и «{ $second }» оба содержат вопрос «{ $code }».
survey-problem-undecodable = Строка { $line }: CSV не читается ({ $detail }).
survey-problem-definition = Анкета «{ $code }» — недопустимый JSON.
survey-version-exists = Анкета { $code } версии { $version } уже сохранена с другим содержанием: дайте ей новую версию.
survey-duplicate-wave = Волна с кодом { $code } уже существует.
survey-unknown-wave = Волны { $code } нет.
survey-no-instrument = Выберите анкету.
survey-bad-dates = Укажите даты открытия и закрытия; волна не может закрыться раньше, чем откроется.
survey-bad-code = Код — от 1 до 40 латинских букв, цифр, «-» или «_».
survey-status-refused = Волну нельзя перевести в это состояние.
survey-not-invitation = Эта волна открыта для всех: приглашений у неё нет.
survey-wave-draft = Волна ещё черновик: сначала откройте её.
survey-invitations-range = Запросите от 1 до { $max } приглашений.
survey-waves = Волны опроса
survey-no-waves = Волн пока нет.
survey-col-wave = Волна
survey-col-instrument = Анкета
survey-col-dates = Даты
survey-col-status = Состояние
survey-col-responses = Ответы
survey-col-actions = Действия
survey-col-title = Название
survey-col-items = Вопросы
survey-col-indices = Индексы
survey-col-cells = Ячейки
survey-col-population = Население
survey-col-page = Страница
survey-col-name = Имя
survey-col-kind = Тип
survey-col-question = Вопрос
survey-col-relevant = Показывается, если
survey-col-area = Территория
survey-col-level = Уровень
survey-col-n = Ответов
survey-col-estimate = Оценка (95% интервал)
survey-col-change = Изменение с прошлой волны
survey-status-draft = черновик
survey-status-open = открыта
survey-status-closed = закрыта
survey-access = Кто может ответить
survey-access-open = любой по ссылке (с ограничением на сеть и ловушкой для роботов)
survey-access-invitation = только по приглашению (один ответ на ссылку)
survey-invitations-used = использовано { $used } из { $issued } приглашений
survey-open = Открыть
survey-close = Закрыть
survey-invitations-count = Приглашений
survey-issue = Выдать (CSV)
survey-import-file = Ответы, выгруженные из KoboToolbox/ODK (CSV)
survey-new-wave = Новая волна
survey-need-instrument = Сначала загрузите анкету.
survey-wave-code = Код (в адресе)
survey-wave-title = Название
survey-opens = Открывается
survey-closes = Закрывается
survey-create-wave = Создать волну (черновик)
survey-instruments = Анкеты
survey-load-default = Загрузить стандартную анкету сервисной модели
survey-instrument-file = Файл анкеты (XLSForm .xlsx или Sakshy .json)
survey-instrument-help = XLSForm — формат KoboToolbox/ODK: листы survey, choices и settings со столбцами label::Kazakh (kk), label::Russian (ru) и label::English (en). Столбец sakshy_role (quadrant, age_band, sex, location) и лист indices задают роли и индексы.
survey-instrument-preview = Просмотр анкеты
survey-preview-counts = { $items } вопросов на { $pages } страницах, индексов: { $indices }.
survey-margins = Численность населения
survey-no-margins = Данных о населении нет: оценки невзвешенные.
survey-margins-file = Файл (CSV: district, age_band, sex, population)
survey-replace-margins = Заменить данные о населении
survey-margins-help = Одна строка на район, возрастную группу и пол, с кодами анкеты (например, SHY-ALF, 30-44, female). Ответы взвешиваются по этим числам.
survey-import-heading = Импорт ответов в волну { $wave }
survey-import-summary = К импорту готово строк: { $good }; строк с ошибками (будут пропущены): { $bad }.
survey-unknown-columns = Столбцы вне анкеты (пропущены): { $columns }
survey-import-title = Ответы импортированы
survey-imported = Импортировано ответов: { $inserted }, уже были сохранены: { $present }, отклонено строк: { $refused }.
survey-weighted = Взвешено по населению: { $margins } (эффект дизайна взвешивания { $deff }).
survey-rake-district-age-sex = район × возраст × пол
survey-rake-district-age-and-sex = район × возраст и район × пол
survey-rake-separately = район, возраст и пол по отдельности
survey-rake-district = только район
survey-unweighted-no-margins = Без весов: данные о населении не загружены.
survey-unweighted-no-respondents = Без весов: нет ответов из районов с данными о населении.
survey-unweighted-unmet = Без весов: распределение населения не удалось выдержать (группы с населением, но без ответов).
survey-facts = Анкета { $instrument }, { $status }, { $from } – { $to }: ответов { $count }.
survey-reading-help = Индексы — от 0 (хуже всего) до 100 (лучше всего). Интервал — где с 95% уверенностью лежит истинное значение. Территории, где меньше 30 ответов, не оцениваются.
survey-compared-with = Изменения — по сравнению с волной «{ $wave }»; выделенные отличаются от случайных.
survey-change-suppressed = мало ответов
survey-suppressed-n = не показано: ответов { $count }
survey-map-title = { $index } по квадратам
survey-map-desc = Квадрат окрашен по оценке и показывает оценку, её 95% интервал и полосу интервала; заштрихованы квадраты с малым числом ответов.
survey-index-legend = Индекс (0–100)
survey-suppressed-legend = меньше 30 ответов
survey-no-data = нет ответов
survey-interval-legend = 95% интервал
survey-trend-title = { $index } по волнам
survey-trend-desc = Оценка каждой волны с 95% интервалом для города и пилотного квадрата.
survey-pilot = пилот
survey-level-city = город
survey-level-district = район
survey-level-quadrant = квадрат
survey-comments = Свободные ответы
survey-comments-help = Номера телефонов, адреса почты, ИИН и имена удалены при сохранении ответов.
survey-no-comments = Свободных ответов нет.
survey-download-csv = Скачать CSV
survey-download-json = Скачать JSON
survey-collect = Собирать ответы (интервьюер)
survey-public-form = Публичная анкета
survey-synthetic-results = Эти ответы синтетические, созданы для демонстрации.

# Оценка пилота (`evaluation_pages.rs`)
eval-title = Оценка пилота
eval-intro = Сравнение пилотных и контрольных квадратов до и после старта: правонарушения, обращения, сроки ответа и индексы опросов по месяцам.
eval-no-designs = Оценка пока не задана.
eval-col-design = Оценка
eval-col-start = Старт
eval-col-pilot = Пилот
eval-col-control = Контроль
eval-none = Ни то, ни другое
eval-define = Задать или изменить оценку
eval-code = Код
eval-buffer = Буфер вокруг пилота, метров
eval-save = Сохранить
eval-bad-start = Укажите дату старта.
eval-bad-buffer = Буфер — от 50 до 5000 метров.
eval-bad-units = Отметьте хотя бы один пилотный и один контрольный квадрат этого города.
eval-design = Пилот { $pilot } против контроля { $control }, со { $start }; буфер { $buffer } м.
eval-too-early = С момента старта не прошло ни одного полного месяца: сравнивать пока нечего.
eval-synthetic = В данных есть синтетические (демонстрационные) записи: правонарушений в окне — { $count }.
eval-download-panel = Скачать помесячную панель (CSV)
eval-findings = Выводы
eval-limits = Ограничения этого сравнения
eval-outcome-offences = Правонарушений в месяц
eval-outcome-group = { $group } в месяц
eval-outcome-appeals = Обращений в месяц
eval-outcome-days = Медиана дней до ответа на обращение
eval-outcome-overdue = Доля обращений с ответом позже срока
eval-outcome-survey = Опрос: { $index }
eval-not-estimable = { $outcome }: данных для оценки недостаточно.
eval-sentence = { $outcome }: в пилоте { $estimate } по сравнению с контролем после старта (95% интервал от { $low } до { $high }, { $method }).
eval-verdict-unclear = По данным это нельзя отличить от отсутствия изменений.
eval-verdict-better = Изменение отличается от случайного, и к лучшему.
eval-verdict-worse = Изменение отличается от случайного, и к худшему.
eval-interval-randomisation = рандомизация по квадратам
eval-interval-bootstrap = дикий кластерный бутстрэп
eval-interval-cluster = кластерно-устойчивый
eval-row-estimate = Разность разностей
eval-row-bootstrap-p = p-значение бутстрэпа
eval-row-randomisation-p = p-значение рандомизации
eval-ri-p = { $p } (по { $count } назначениям)
eval-row-units = Данные
eval-units = пилотных квадратов: { $pilots }, контрольных: { $controls }, месяцев: { $months }
eval-warn-single = Пилотный квадрат один: кластерно-устойчивые и бутстрэп-интервалы ненадёжны; смотрите результат рандомизации.
eval-warn-few-treated = Пилотных квадратов лишь { $count }: предпочтителен результат рандомизации.
eval-warn-few-controls = Контрольных квадратов лишь { $count }: сравнение опирается на очень немногие территории.
eval-warn-few-clusters = Всего квадратов лишь { $count }: интервалы опираются на немногие территории.
eval-warn-disconnected = Данные распадаются на { $count } несвязанных групп без общих квадратов и месяцев.
eval-warn-ri-floor = При так малом числе квадратов тест рандомизации не опустится ниже p = { $p }: эффект на уровне 5% он не покажет, каким бы большим тот ни был.
eval-warn-bootstrap-floor = У бутстрэпа слишком мало различных вариантов, чтобы опуститься ниже p = { $p }.
eval-warn-pretrend-unavailable = Проверку трендов до старта вычислить нельзя (слишком мало квадратов для месяцев до старта).
eval-event-title = { $outcome }: разница по месяцам
eval-event-desc = Разница «пилот минус контроль» в каждом месяце относительно месяца перед стартом, с 95% интервалами. До старта точки должны держаться около нуля.
eval-months-since = Месяцев со старта
eval-difference = Разница относительно месяца перед стартом
eval-start = старт
eval-no-event-study = Слишком мало месяцев до старта для помесячной разницы.
eval-pretrend-holds = До старта пилот и контроль менялись одинаково (совместный тест p = { $p }): сравнение правдоподобно.
eval-pretrend-fails = Уже до старта пилот и контроль менялись по-разному (совместный тест p = { $p }): оценку читайте с осторожностью.
eval-panel-title = { $outcome }: пилот и контроль
eval-panel-desc = Среднее по месяцам для пилотных и контрольных квадратов; старт отмечен.
eval-pilot-mean = Пилот
eval-control-mean = Контроль (среднее)
eval-limit-design = Пилот выбран не случайно: пилотных квадратов { $pilots }, контрольных { $controls }.
eval-limit-parallel = Оценка предполагает, что без пилота пилотные квадраты изменились бы как контрольные; помесячный график показывает, выполнялось ли это до старта.
eval-limit-concurrent = Всё, что одновременно изменилось в пилоте (освещение, новое жильё, другие программы), засчитывается как эффект пилота.
eval-limit-reporting = Учтённые правонарушения и обращения зависят от того, сообщают ли о них; пилот, повышающий доверие, может увеличить число сообщений при снижении преступности.
eval-limit-survey = Индексы опросов — выборочные оценки: их собственные интервалы добавляют неопределённости.
eval-wdq-title = Смещение вокруг пилота
eval-wdq-pilot = Пилот, правонарушения до → после
eval-wdq-buffer = Буфер ({ $metres } м), правонарушения до → после
eval-wdq-control = Контроль, правонарушения до → после
eval-wdq-success = Мера успеха
eval-wdq-buffer-measure = Мера буфера
eval-wdq-quotient = Взвешенный коэффициент смещения (WDQ)
eval-wdq-net = Общий чистый эффект (правонарушений)
eval-wdq-window = Равные окна по { $months } мес. до и после старта.
eval-wdq-diffusion-greater = Буфер улучшился даже сильнее пилота: польза распространилась за его пределы.
eval-wdq-diffusion = Буфер тоже улучшился: польза распространилась за пределы пилота.
eval-wdq-none = Буфер изменился как контроль: ни смещения, ни распространения пользы.
eval-wdq-displacement-smaller = Часть правонарушений могла сместиться в буфер, но меньше, чем выиграл пилот.
eval-wdq-displacement-greater = В буфер могло сместиться больше правонарушений, чем выиграл пилот.
eval-wdq-no-success = Пилот не улучшился относительно контроля, поэтому о смещении судить нельзя.
eval-wdq-empty-control = В контроле нет правонарушений в одном из окон, коэффициент не вычислить.
eval-pre = до старта
eval-post = после старта
eval-reference = опорный месяц (0 по определению)
eval-sentence-unbounded = { $outcome }: в пилоте { $estimate } по сравнению с контролем после старта (кластерно-устойчивый интервал от { $low } до { $high }, ненадёжный при так малом числе пилотных квадратов).
eval-survey-title = Ответы на опрос: пилот против контроля
eval-survey-heading = По ответам респондентов, волна «{ $from }» против волны «{ $to }». Эти интервалы учитывают только выборочную ошибку, но не потрясения, затронувшие один квадрат.
eval-survey-did = { $outcome }: { $pilot } в пилоте и { $control } в контроле между волнами; разница { $estimate } (95% интервал от { $low } до { $high }).
portal-nav-survey = Опрос о безопасности
survey-open-title = Опросы жителей
survey-open-intro = Полиция и акимат спрашивают жителей, насколько безопасно они себя чувствуют и как оценивают работу полиции и других служб в своём квадрате. Ответы анонимны и займут около пяти минут.
survey-none-open = Сейчас открытых опросов нет.
eval-ri-note = Когда выбрать пилот среди этих квадратов можно лишь { $count } способами, рандомизация по квадратам не даёт 95% интервала: наименьшее возможное p-значение { $p }. По помесячным показателям ниже данные не могут показать эффект на уровне 5%, каким бы большим он ни был.
eval-pretrend-single = При одном пилотном квадрате совместный тест месяцев до старта ненадёжен: оценивайте на глаз, держатся ли точки до старта около нуля.
survey-shares = Ответы на каждый вопрос
survey-shares-help = Взвешенная доля выбравших каждый ответ среди тех, кому задан вопрос, с 95% интервалом; где вопрос позволяет, можно выбрать несколько ответов.
survey-col-answer = Ответ
survey-problem-unknown-district = В городе нет района { $code }.
eval-synthetic-waves = Ответы опросов тоже синтетические.
survey-outside-dates = Этот опрос принимает ответы с { $from } по { $to }.
survey-problem-expr-char = неожиданный символ «{ $value }»
survey-problem-expr-reference = на вопрос ссылаются так: { "${name}" }
survey-problem-expr-unexpected = «{ $value }» здесь не ожидается
survey-problem-expr-end = условие обрывается слишком рано
survey-problem-expr-arguments = { $value } принимает аргументов: { $expected }, а не { $found }
survey-problem-expr-bare = «{ $value }» здесь не поддерживается: ссылайтесь на вопросы так: { "${name}" }
