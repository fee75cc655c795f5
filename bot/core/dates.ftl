when-format = Не удалось прочитать дату и время. Напишите день и время, например: «28.11 15:30».
when-day-past = Этот день уже прошёл. Укажите день в будущем, например: «завтра в 16:00».
when-time-passed = Время { $time } сегодня уже прошло. Укажите более позднее время или другой день, например: «завтра в { $time }».
when-too-far = Встречу можно назначить не дальше чем на год вперёд.
when-no-such-time = Такого времени нет: { $typed }. Часы от 0 до 23, минуты от 00 до 59, например: «15:30».
when-no-such-date = Такой даты нет: { $typed }. Проверьте день и месяц, например: «28.11».
when-ask-time = { $day }: во сколько? Напишите время, например: «15:30».
when-day = { $date } ({ $weekday ->
        [0] понедельник
        [1] вторник
        [2] среда
        [3] четверг
        [4] пятница
        [5] суббота
       *[6] воскресенье
    })
# A time zone as a teacher reads it: the city and its offset from Moscow.
timezone-label = { $city } ({ $offset })
# A zone outside the list: its offset from UTC and from Moscow.
timezone-label-other = UTC{ $utc } ({ $offset })
timezone-moscow = МСК
timezone-from-moscow = МСК{ $offset }
timezone-city = { $zone ->
        [Europe_Kaliningrad] Калининград
        [Europe_Moscow] Москва
        [Europe_Samara] Самара
        [Asia_Yekaterinburg] Екатеринбург
        [Asia_Omsk] Омск
        [Asia_Krasnoyarsk] Красноярск
        [Asia_Irkutsk] Иркутск
        [Asia_Yakutsk] Якутск
        [Asia_Vladivostok] Владивосток
        [Asia_Magadan] Магадан
        [Asia_Kamchatka] Камчатка
       *[other] {""}
    }
