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
