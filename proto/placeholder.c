int proto__placeholder;
